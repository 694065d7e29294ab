namespace SafetyLayers;

/// <summary>The default <see cref="IToolStateStore"/>: conversations in memory, bounded in number and expired when idle.</summary>
/// <remarks>
/// Concurrent requests of one conversation share one <see cref="ToolConversationState"/> instance, so budgets are exact. When more
/// than <see cref="Capacity"/> conversations are held, the least recently used are dropped. The store is thread-safe.
/// </remarks>
public sealed class InMemoryToolStateStore : IToolStateStore
{
    private readonly Dictionary<string, ToolConversationState> _states = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="InMemoryToolStateStore"/> class.</summary>
    /// <param name="capacity">The most conversations held at once.</param>
    /// <param name="expiration">How long an idle conversation is kept; <see langword="null"/> for one hour.</param>
    /// <param name="timeProvider">The clock, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> or <paramref name="expiration"/> is not positive.</exception>
    public InMemoryToolStateStore(int capacity = 10_000, TimeSpan? expiration = null, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Expiration = expiration ?? TimeSpan.FromHours(1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Expiration, TimeSpan.Zero, nameof(expiration));
        Capacity = capacity;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the most conversations held at once.</summary>
    public int Capacity { get; }

    /// <summary>Gets how long an idle conversation is kept.</summary>
    public TimeSpan Expiration { get; }

    /// <summary>Gets the number of conversations held.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _states.Count;
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask<ToolConversationState> GetAsync(string conversationKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversationKey);
        cancellationToken.ThrowIfCancellationRequested();
        DateTimeOffset now = _timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (_states.TryGetValue(conversationKey, out ToolConversationState? state) && now - state.LastUsed <= Expiration)
            {
                state.LastUsed = now;
                return ValueTask.FromResult(state);
            }

            state = new ToolConversationState { LastUsed = now };
            _states[conversationKey] = state;
            if (_states.Count > Capacity)
            {
                Evict(now);
            }

            return ValueTask.FromResult(state);
        }
    }

    /// <inheritdoc/>
    public ValueTask SaveAsync(string conversationKey, ToolConversationState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversationKey);
        ArgumentNullException.ThrowIfNull(state);
        DateTimeOffset now = _timeProvider.GetUtcNow();
        lock (_gate)
        {
            state.LastUsed = now;
            _states[conversationKey] = state;
            if (_states.Count > Capacity)
            {
                Evict(now);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Drops expired conversations, then the least recently used until a tenth of the capacity is free.</summary>
    private void Evict(DateTimeOffset now)
    {
        List<KeyValuePair<string, ToolConversationState>> entries = [.. _states];
        foreach (KeyValuePair<string, ToolConversationState> entry in entries)
        {
            if (now - entry.Value.LastUsed > Expiration)
            {
                _states.Remove(entry.Key);
            }
        }

        int target = Capacity - Math.Max(1, Capacity / 10);
        if (_states.Count <= target)
        {
            return;
        }

        entries = [.. _states];
        entries.Sort((a, b) => a.Value.LastUsed.CompareTo(b.Value.LastUsed));
        for (int i = 0; _states.Count > target && i < entries.Count; i++)
        {
            _states.Remove(entries[i].Key);
        }
    }
}
