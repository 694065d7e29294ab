namespace SafetyLayers;

/// <summary>
/// Watches guard outcomes for drift: refusal, block, redaction and tool-denial rates and each tool's share of tool calls,
/// in a rolling current window compared with a baseline learned from the window before it.
/// </summary>
/// <remarks>
/// <para>
/// Counts go into buckets of <see cref="DriftMonitorOptions.BucketDuration"/>; time comes from the <see cref="TimeProvider"/>.
/// Once per bucket, each signal with at least <see cref="DriftMonitorOptions.MinimumCurrentTrials"/> current and
/// <see cref="DriftMonitorOptions.MinimumBaselineTrials"/> baseline trials is tested: under "no drift", the current hits are
/// Binomial(n, p0) where p0 is the upper 99% Wilson bound of the baseline rate (so noise in a short baseline does not raise
/// alarms), and the exact upper-tail probability P(X &#8805; hits) is the p-value. An alert needs p &lt;
/// <see cref="DriftMonitorOptions.Significance"/> and an increase of at least <see cref="DriftMonitorOptions.MinimumIncrease"/>,
/// so the false-alarm rate of a steady signal is bounded by <c>Significance</c> per test. After an alert the same signal is
/// quiet for one window.
/// </para>
/// <para>Thread-safe; recording takes a short lock and tests run at most once per bucket.</para>
/// </remarks>
public sealed class DriftMonitor
{
    private const double WilsonZ = 2.3263478740408408;   // one-sided 99%

    private readonly DriftMonitorOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly long _bucketTicks;
    private readonly int _windowBuckets;
    private readonly int _baselineBuckets;
    private readonly Bucket[] _buckets;
    private readonly Dictionary<string, long> _lastAlertBucket = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly List<Action<DriftAlert>> _listeners = [];
    private long _lastEvaluatedBucket = long.MinValue;

    /// <summary>Initializes a new instance of the <see cref="DriftMonitor"/> class.</summary>
    /// <param name="options">The options, or <see langword="null"/> for the defaults; they are copied.</param>
    /// <param name="timeProvider">The time source, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="InvalidOperationException">The options are invalid.</exception>
    public DriftMonitor(DriftMonitorOptions? options = null, TimeProvider? timeProvider = null)
    {
        options ??= new DriftMonitorOptions();
        options.Validate();
        _options = new DriftMonitorOptions
        {
            BucketDuration = options.BucketDuration,
            Window = options.Window,
            BaselineWindow = options.BaselineWindow,
            MinimumCurrentTrials = options.MinimumCurrentTrials,
            MinimumBaselineTrials = options.MinimumBaselineTrials,
            Significance = options.Significance,
            MinimumIncrease = options.MinimumIncrease,
            OnAlert = options.OnAlert,
        };
        _timeProvider = timeProvider ?? TimeProvider.System;
        _bucketTicks = _options.BucketDuration.Ticks;
        _windowBuckets = (int)Math.Max(1, _options.Window.Ticks / _bucketTicks);
        _baselineBuckets = (int)Math.Max(1, _options.BaselineWindow.Ticks / _bucketTicks);
        _buckets = new Bucket[_windowBuckets + _baselineBuckets + 1];
        for (int i = 0; i < _buckets.Length; i++)
        {
            _buckets[i] = new Bucket { Index = long.MinValue };
        }
    }

    /// <summary>Records the outcome of one chat request.</summary>
    /// <param name="refused">The model refused (an output verdict in the <c>refusal</c> category).</param>
    /// <param name="blocked">A guard blocked the request or its response.</param>
    /// <param name="redacted">A guard redacted part of the request or its response.</param>
    public void RecordRequest(bool refused, bool blocked, bool redacted)
    {
        List<DriftAlert>? alerts;
        lock (_lock)
        {
            long index = CurrentBucketIndex();
            alerts = EvaluateIfDue(index);
            Bucket bucket = GetBucket(index);
            bucket.Requests++;
            bucket.Refused += refused ? 1 : 0;
            bucket.Blocked += blocked ? 1 : 0;
            bucket.Redacted += redacted ? 1 : 0;
        }

        Raise(alerts);
    }

    /// <summary>Records one tool call and whether the tool permission layer denied it.</summary>
    /// <param name="toolName">The tool's name.</param>
    /// <param name="denied">The call was denied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="toolName"/> is <see langword="null"/>.</exception>
    public void RecordToolCall(string toolName, bool denied)
    {
        ArgumentNullException.ThrowIfNull(toolName);
        List<DriftAlert>? alerts;
        lock (_lock)
        {
            long index = CurrentBucketIndex();
            alerts = EvaluateIfDue(index);
            Bucket bucket = GetBucket(index);
            bucket.ToolCalls++;
            bucket.ToolDenied += denied ? 1 : 0;
            bucket.Tools ??= new Dictionary<string, long>(StringComparer.Ordinal);
            bucket.Tools[toolName] = bucket.Tools.GetValueOrDefault(toolName) + 1;
        }

        Raise(alerts);
    }

    /// <summary>Tests every signal now over the buckets completed so far plus the current one, and raises what it finds.</summary>
    /// <returns>The alerts raised by this evaluation.</returns>
    public IReadOnlyList<DriftAlert> Evaluate()
    {
        List<DriftAlert> alerts;
        lock (_lock)
        {
            long index = CurrentBucketIndex();
            alerts = EvaluateCore(index + 1, index);
        }

        Raise(alerts);
        return alerts;
    }

    internal void AddListener(Action<DriftAlert> listener)
    {
        lock (_lock)
        {
            _listeners.Add(listener);
        }
    }

    internal void RemoveListener(Action<DriftAlert> listener)
    {
        lock (_lock)
        {
            _listeners.Remove(listener);
        }
    }

    /// <summary>The exact upper tail P(X &#8805; k) of Binomial(n, p).</summary>
    internal static double BinomialUpperTail(long k, long n, double p)
    {
        if (k <= 0)
        {
            return 1;
        }

        if (k > n)
        {
            return 0;
        }

        if (p <= 0)
        {
            return 0;
        }

        if (p >= 1)
        {
            return 1;
        }

        double logTerm = LogChoose(n, k) + (k * Math.Log(p)) + ((n - k) * Math.Log(1 - p));
        double term = Math.Exp(logTerm);
        double sum = 0;
        double odds = p / (1 - p);
        for (long i = k; i <= n; i++)
        {
            sum += term;
            term *= (double)(n - i) / (i + 1) * odds;
            if (term < sum * 1e-16 || term == 0)
            {
                break;
            }
        }

        return Math.Min(1, sum);
    }

    /// <summary>The upper one-sided Wilson score bound of a binomial proportion.</summary>
    internal static double WilsonUpper(long hits, long trials, double z)
    {
        double n = trials;
        double phat = hits / n;
        double z2 = z * z;
        double centre = phat + (z2 / (2 * n));
        double margin = z * Math.Sqrt((phat * (1 - phat) / n) + (z2 / (4 * n * n)));
        return Math.Min(1, (centre + margin) / (1 + (z2 / n)));
    }

    private static double LogChoose(long n, long k) => LogGamma(n + 1) - LogGamma(k + 1) - LogGamma(n - k + 1);

    /// <summary>ln Γ(x) by the Lanczos approximation (g = 7, n = 9), accurate to about 15 digits for x &gt; 0.5.</summary>
    private static double LogGamma(double x)
    {
        ReadOnlySpan<double> c =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        ];
        x -= 1;
        double a = c[0];
        double t = x + 7.5;
        for (int i = 1; i < 9; i++)
        {
            a += c[i] / (x + i);
        }

        return (0.5 * Math.Log(2 * Math.PI)) + ((x + 0.5) * Math.Log(t)) - t + Math.Log(a);
    }

    private long CurrentBucketIndex() => _timeProvider.GetUtcNow().UtcTicks / _bucketTicks;

    private Bucket GetBucket(long index)
    {
        Bucket bucket = _buckets[(int)(index % _buckets.Length)];
        if (bucket.Index != index)
        {
            bucket.Reset(index);
        }

        return bucket;
    }

    private List<DriftAlert>? EvaluateIfDue(long index)
    {
        if (index <= _lastEvaluatedBucket)
        {
            return null;
        }

        _lastEvaluatedBucket = index;

        // Test over completed buckets only: the current window ends with the previous bucket.
        return EvaluateCore(index, index - 1);
    }

    private List<DriftAlert> EvaluateCore(long evaluationBucket, long lastBucket)
    {
        var alerts = new List<DriftAlert>();
        Bucket current = Sum(lastBucket - _windowBuckets + 1, lastBucket);
        Bucket baseline = Sum(lastBucket - _windowBuckets - _baselineBuckets + 1, lastBucket - _windowBuckets);
        Test("refusal_rate", current.Refused, current.Requests, baseline.Refused, baseline.Requests, evaluationBucket, alerts);
        Test("block_rate", current.Blocked, current.Requests, baseline.Blocked, baseline.Requests, evaluationBucket, alerts);
        Test("redaction_rate", current.Redacted, current.Requests, baseline.Redacted, baseline.Requests, evaluationBucket, alerts);
        Test("tool_denial_rate", current.ToolDenied, current.ToolCalls, baseline.ToolDenied, baseline.ToolCalls, evaluationBucket, alerts);
        if (current.Tools is not null)
        {
            foreach ((string tool, long calls) in current.Tools)
            {
                long baselineCalls = baseline.Tools?.GetValueOrDefault(tool) ?? 0;
                Test("tool_share:" + tool, calls, current.ToolCalls, baselineCalls, baseline.ToolCalls, evaluationBucket, alerts);
            }
        }

        return alerts;
    }

    private void Test(string signal, long hits, long trials, long baselineHits, long baselineTrials, long evaluationBucket, List<DriftAlert> alerts)
    {
        if (trials < _options.MinimumCurrentTrials || baselineTrials < _options.MinimumBaselineTrials)
        {
            return;
        }

        if (_lastAlertBucket.TryGetValue(signal, out long last) && evaluationBucket - last < _windowBuckets)
        {
            return;
        }

        double baselineRate = (double)baselineHits / baselineTrials;
        double currentRate = (double)hits / trials;
        if (currentRate - baselineRate < _options.MinimumIncrease)
        {
            return;
        }

        double p0 = WilsonUpper(baselineHits, baselineTrials, WilsonZ);
        double pValue = BinomialUpperTail(hits, trials, p0);
        if (pValue >= _options.Significance)
        {
            return;
        }

        _lastAlertBucket[signal] = evaluationBucket;
        alerts.Add(new DriftAlert
        {
            Signal = signal,
            DetectedAt = _timeProvider.GetUtcNow(),
            BaselineRate = baselineRate,
            CurrentRate = currentRate,
            BaselineTrials = baselineTrials,
            CurrentTrials = trials,
            CurrentHits = hits,
            PValue = pValue,
        });
    }

    private Bucket Sum(long first, long last)
    {
        var sum = new Bucket();
        foreach (Bucket bucket in _buckets)
        {
            if (bucket.Index < first || bucket.Index > last)
            {
                continue;
            }

            sum.Requests += bucket.Requests;
            sum.Refused += bucket.Refused;
            sum.Blocked += bucket.Blocked;
            sum.Redacted += bucket.Redacted;
            sum.ToolCalls += bucket.ToolCalls;
            sum.ToolDenied += bucket.ToolDenied;
            if (bucket.Tools is not null)
            {
                sum.Tools ??= new Dictionary<string, long>(StringComparer.Ordinal);
                foreach ((string tool, long calls) in bucket.Tools)
                {
                    sum.Tools[tool] = sum.Tools.GetValueOrDefault(tool) + calls;
                }
            }
        }

        return sum;
    }

    private void Raise(List<DriftAlert>? alerts)
    {
        if (alerts is null || alerts.Count == 0)
        {
            return;
        }

        Action<DriftAlert>[] listeners;
        lock (_lock)
        {
            listeners = [.. _listeners];
        }

        foreach (DriftAlert alert in alerts)
        {
            SafetyLayersTelemetry.DriftAlerts.Add(1, new KeyValuePair<string, object?>(SafetyLayersTelemetry.SignalTag, alert.Signal));
            _options.OnAlert?.Invoke(alert);
            foreach (Action<DriftAlert> listener in listeners)
            {
                listener(alert);
            }
        }
    }

    private sealed class Bucket
    {
        public long Index;
        public long Requests;
        public long Refused;
        public long Blocked;
        public long Redacted;
        public long ToolCalls;
        public long ToolDenied;
        public Dictionary<string, long>? Tools;

        public void Reset(long index)
        {
            Index = index;
            Requests = Refused = Blocked = Redacted = ToolCalls = ToolDenied = 0;
            Tools = null;
        }
    }
}
