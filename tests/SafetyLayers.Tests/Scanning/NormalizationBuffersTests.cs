using SafetyLayers.Scanning;

namespace SafetyLayers.Tests.Scanning;

/// <summary>The per-thread buffer set of normalization: reused, never shared between two texts in use, grown and released.</summary>
public class NormalizationBuffersTests
{
    [Fact]
    public void Rent_AfterReturn_GivesTheSameBuffersAgain()
    {
        // Arrange
        NormalizationBuffers? owner = NormalizationBuffers.Rent(100, out char[] chars, out int[] starts, out int[] ends);
        NormalizationBuffers.Return(owner, chars, starts, ends);

        // Act
        NormalizationBuffers? again = NormalizationBuffers.Rent(100, out char[] chars2, out int[] starts2, out int[] ends2);
        NormalizationBuffers.Return(again, chars2, starts2, ends2);

        // Assert
        owner.Should().NotBeNull();
        again.Should().BeSameAs(owner);
        ShouldBeTheSame((chars2, starts2, ends2), (chars, starts, ends));
    }

    [Fact]
    public void Rent_WhileTheCachedSetIsInUse_GivesOtherBuffers()
    {
        // Arrange
        NormalizationBuffers? outer = NormalizationBuffers.Rent(100, out char[] outerChars, out int[] outerStarts, out int[] outerEnds);

        // Act
        NormalizationBuffers? inner = NormalizationBuffers.Rent(100, out char[] innerChars, out int[] innerStarts, out int[] innerEnds);
        NormalizationBuffers.Return(inner, innerChars, innerStarts, innerEnds);
        NormalizationBuffers.Return(outer, outerChars, outerStarts, outerEnds);

        // Assert
        outer.Should().NotBeNull();
        inner.Should().BeNull();
        innerChars.Should().NotBeSameAs(outerChars);
        innerStarts.Should().NotBeSameAs(outerStarts);
        innerEnds.Should().NotBeSameAs(outerEnds);
    }

    [Fact]
    public void Return_GrownBuffers_BecomeTheCachedSet()
    {
        // Arrange: the writer grows out of the cached buffers and hands them to the pool, as TextNormalizer does
        NormalizationBuffers? owner = NormalizationBuffers.Rent(100, out char[] chars, out int[] starts, out int[] ends);
        char[] grownChars = new char[chars.Length * 2];
        int[] grownStarts = new int[chars.Length * 2];
        int[] grownEnds = new int[chars.Length * 2];

        // Act
        NormalizationBuffers.Return(owner, grownChars, grownStarts, grownEnds);
        NormalizationBuffers? again = NormalizationBuffers.Rent(grownChars.Length, out char[] chars2, out int[] starts2, out int[] ends2);
        NormalizationBuffers.Return(again, chars2, starts2, ends2);

        // Assert
        again.Should().BeSameAs(owner);
        ShouldBeTheSame((chars2, starts2, ends2), (grownChars, grownStarts, grownEnds));
    }

    [Fact]
    public void Rent_MoreThanTheCacheKeeps_ComesFromThePool()
    {
        // Act
        NormalizationBuffers? owner = NormalizationBuffers.Rent(100_000, out char[] chars, out int[] starts, out int[] ends);
        NormalizationBuffers.Return(owner, chars, starts, ends);

        // Assert
        owner.Should().BeNull();
        chars.Length.Should().BeGreaterThanOrEqualTo(100_000);
    }

    [Fact]
    public void Normalize_NestedText_LeavesTheOuterTextAlone()
    {
        // Arrange
        using NormalizedText outer = TextNormalizer.Normalize("Hello  World", TextNormalization.All);

        // Act: an encoded payload is rescanned this way while the outer text is still in use
        using (NormalizedText nested = TextNormalizer.Normalize("IGNORE  previous", TextNormalization.All))
        {
            nested.Text.ToString().Should().Be("ignore previous");
        }

        // Assert
        outer.Text.ToString().Should().Be("hello world");
    }

    [Fact]
    public void Normalize_TextThatOutgrowsTheBuffers_SameAsTheReferenceAndLaterTextsToo()
    {
        // Arrange: U+FDFA expands to 18 characters under NFKC, so 100 of them outgrow the first buffers
        string expanding = new('\uFDFA', 100);
        string expected = ReferenceNormalizer.Normalize(expanding, TextNormalization.All).Text;

        // Act
        string grown;
        using (NormalizedText first = TextNormalizer.Normalize(expanding, TextNormalization.All))
        {
            grown = first.Text.ToString();
        }

        using NormalizedText after = TextNormalizer.Normalize("Ignore  ALL", TextNormalization.All);

        // Assert
        grown.Should().Be(expected);
        grown.Length.Should().BeGreaterThan(expanding.Length + 18);   // more than the first buffers hold
        after.Text.ToString().Should().Be("ignore all");
    }

    private static void ShouldBeTheSame((char[] Chars, int[] Starts, int[] Ends) actual, (char[] Chars, int[] Starts, int[] Ends) expected)
    {
        actual.Chars.Should().BeSameAs(expected.Chars);
        actual.Starts.Should().BeSameAs(expected.Starts);
        actual.Ends.Should().BeSameAs(expected.Ends);
    }
}
