using SafetyLayers.Scanning;

namespace SafetyLayers.Tests.Scanning;

public class RuleValidatorsTests
{
    [Theory]
    [InlineData("4242424242424242", true)]
    [InlineData("4242 4242 4242 4242", true)]
    [InlineData("378282246310005", true)]
    [InlineData("5105-1051-0510-5100", true)]
    [InlineData("4242424242424241", false)]        // Luhn fails
    [InlineData("1748503543012", false)]           // a 13-digit millisecond timestamp
    [InlineData("0000000000000000", false)]        // one repeated digit
    [InlineData("4242-4242 4242-4242", false)]     // mixed separators
    [InlineData("9242424242424242", false)]        // no issuer starts with 9
    [InlineData("42424242424", false)]             // 11 digits
    public void PaymentCard_Number_ValidatesLuhnIssuerLengthAndSeparators(string text, bool expected) =>
        RuleValidators.PaymentCard(text).Should().Be(expected);

    [Theory]
    [InlineData("GB82WEST12345698765432", true)]
    [InlineData("GB82 WEST 1234 5698 7654 32", true)]
    [InlineData("DE89370400440532013000", true)]
    [InlineData("gb82west12345698765432", true)]
    [InlineData("GB82WEST12345698765433", false)]  // mod-97 fails
    [InlineData("GB82WEST1234569876543", false)]   // length for GB is 22
    [InlineData("XX82WEST12345698765432", false)]  // unknown country
    [InlineData("GB8AWEST12345698765432", false)]  // check digits must be digits
    public void Iban_Number_ValidatesCountryLengthAndMod97(string text, bool expected) =>
        RuleValidators.Iban(text).Should().Be(expected);

    [Theory]
    [InlineData("536-22-1234", true)]
    [InlineData("536 22 1234", true)]
    [InlineData("536221234", true)]
    [InlineData("000-22-1234", false)]
    [InlineData("666-22-1234", false)]
    [InlineData("912-22-1234", false)]
    [InlineData("536-00-1234", false)]
    [InlineData("536-22-0000", false)]
    [InlineData("536-22.1234", false)]
    [InlineData("536-221234", false)]
    [InlineData("078-05-1120", false)]
    [InlineData("111-11-1111", false)]
    public void UsSsn_Number_ExcludesInvalidRangesAndSamples(string text, bool expected) =>
        RuleValidators.UsSsn(text).Should().Be(expected);

    [Theory]
    [InlineData("JG 10 37 22 A", true)]
    [InlineData("jg103722d", true)]
    [InlineData("DA 10 37 22 A", false)]   // D is not a valid first letter
    [InlineData("JO 10 37 22 A", false)]   // O is not a valid second letter
    [InlineData("GB 10 37 22 A", false)]   // reserved prefix
    [InlineData("NT 10 37 22 A", false)]
    [InlineData("JG 10 37 22 E", false)]   // suffix must be A-D
    public void UkNino_Number_ValidatesPrefixAndSuffix(string text, bool expected) =>
        RuleValidators.UkNino(text).Should().Be(expected);

    [Theory]
    [InlineData("203.0.113.7", true)]
    [InlineData("255.255.255.255", true)]
    [InlineData("256.1.1.1", false)]
    [InlineData("01.2.3.4", false)]
    [InlineData("1.2.3", false)]
    public void IPv4_Address_ValidatesOctets(string text, bool expected) => RuleValidators.IPv4(text).Should().Be(expected);

    [Theory]
    [InlineData("2001:db8::8a2e:370:7334", true)]
    [InlineData("::ffff:192.0.2.128", true)]
    [InlineData("::1", true)]
    [InlineData("aa:bb:cc:dd:ee:ff", false)]
    [InlineData("12:30:45", false)]
    [InlineData("::ffff:256.0.0.1", false)]
    [InlineData("abc::def", false)]
    public void IPv6_Address_ValidatesGroups(string text, bool expected) => RuleValidators.IPv6(text).Should().Be(expected);

    [Theory]
    [InlineData("0917 123 4567", true)]
    [InlineData("05051234567", true)]
    [InlineData("0917123456", false)]      // ten bare digits
    [InlineData("02345678901", false)]     // bare, not a mobile-style prefix
    [InlineData("078-05-0000", false)]     // nine digits
    public void PhoneNational_Number_ValidatesDigitCountAndPrefix(string text, bool expected) =>
        RuleValidators.PhoneNational(text).Should().Be(expected);

    [Theory]
    [InlineData("scjh5wo5gxpbliunf4tom7a2", true)]
    [InlineData("Qm9vN2xYz8Lp4Rs7", true)]
    [InlineData("xxxxxxxxxxxxxxxxxxxxxxxx", false)]
    [InlineData("<your-token-here>", false)]
    [InlineData("Jonathan", false)]
    [InlineData("aaaaaaaaaaaaaaaaaaaa1", false)]
    public void SecretValue_Value_RejectsPlaceholdersAndProse(string text, bool expected) =>
        RuleValidators.SecretValue(text).Should().Be(expected);

    [Theory]
    [InlineData("14/07/1986", true)]
    [InlineData("1990-02-28", true)]
    [InlineData("45/45/1990", false)]
    [InlineData("14/07/1850", false)]
    public void Date_Value_ValidatesRanges(string text, bool expected) => RuleValidators.Date(text).Should().Be(expected);

    [Fact]
    public void ContainerTest_SecretValue_NeverRejectsATextWithAnAcceptedPart()
    {
        // Arrange: random texts over letters of both cases, digits and prose characters; every part is tried
        Func<ReadOnlySpan<char>, bool> container = RuleValidators.GetContainerTest("secret-value")!;
        var random = new Random(4711);
        const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 =:_-\"'";
        int accepted = 0;
        int rejectedByContainer = 0;
        for (int n = 0; n < 2_000; n++)
        {
            char[] chars = new char[random.Next(1, 40)];
            string pool = n % 3 == 0 ? "abcdefgh ijklmnop" : Alphabet;   // a third without digits or capitals, like prose
            for (int i = 0; i < chars.Length; i++)
            {
                chars[i] = pool[random.Next(pool.Length)];
            }

            string text = new(chars);

            // Act
            bool mayContain = container(text);

            // Assert
            for (int start = 0; start < text.Length; start++)
            {
                for (int end = start + 1; end <= text.Length; end++)
                {
                    if (RuleValidators.SecretValue(text.AsSpan(start, end - start)))
                    {
                        accepted++;
                        mayContain.Should().BeTrue($"\"{text}\" holds the accepted value \"{text[start..end]}\"");
                    }
                }
            }

            rejectedByContainer += mayContain ? 0 : 1;
        }

        accepted.Should().BePositive("the texts must include accepted values for the test to mean anything");
        rejectedByContainer.Should().BePositive("prose-like texts must be rejected whole");
    }

    [Fact]
    public void ContainerTest_ValidatorWithoutOne_IsNull() => RuleValidators.GetContainerTest("luhn").Should().BeNull();
}
