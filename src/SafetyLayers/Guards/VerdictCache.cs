namespace SafetyLayers;

/// <summary>A bounded, expiring cache of scan results keyed by text, so earlier turns of a conversation are not rescanned.</summary>
/// <remarks>
/// Least-recently-used entries are evicted beyond the capacity and entries expire a fixed time after they were computed, so a
/// long-running service does not grow without limit. Keys are compared ordinally: a cache hit is the same text, whatever
/// message object carries it (history reloaded from storage each turn still hits). Thread-safe.
/// </remarks>
internal sealed class VerdictCache
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _map;
    private readonly LinkedList<Entry> _lru = new();
    private readonly int _capacity;
    private readonly long _lifetimeTicks;
    private readonly TimeProvider _timeProvider;

    public VerdictCache(int capacity, TimeSpan lifetime, TimeProvider timeProvider)
    {
        _capacity = capacity;
        _lifetimeTicks = lifetime.Ticks;
        _timeProvider = timeProvider;
        _map = new Dictionary<string, LinkedListNode<Entry>>(Math.Min(capacity, 1024), StringComparer.Ordinal);
    }

    /// <summary>Gets the number of entries, expired ones included until they are touched or evicted.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _map.Count;
            }
        }
    }

    public bool TryGet(string text, out TextScan scan)
    {
        long now = _timeProvider.GetUtcNow().UtcTicks;
        lock (_gate)
        {
            if (_map.TryGetValue(text, out LinkedListNode<Entry>? node))
            {
                if (node.Value.ExpiresAt > now)
                {
                    _lru.Remove(node);
                    _lru.AddFirst(node);
                    scan = node.Value.Scan;
                    return true;
                }

                _map.Remove(text);
                _lru.Remove(node);
            }
        }

        scan = default;
        return false;
    }

    public void Add(string text, TextScan scan)
    {
        long expiresAt = _timeProvider.GetUtcNow().UtcTicks + _lifetimeTicks;
        lock (_gate)
        {
            if (_map.TryGetValue(text, out LinkedListNode<Entry>? existing))
            {
                _lru.Remove(existing);
                _map.Remove(text);
            }

            while (_map.Count >= _capacity && _lru.Last is { } last)
            {
                _map.Remove(last.Value.Text);
                _lru.RemoveLast();
            }

            _map[text] = _lru.AddFirst(new Entry(text, scan, expiresAt));
        }
    }

    private readonly record struct Entry(string Text, TextScan Scan, long ExpiresAt);
}
