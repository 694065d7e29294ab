using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace SafetyLayers.Scanning;

/// <summary>
/// Hands out the regexes of regex rules: interpreted at once, and swapped for a <see cref="RegexOptions.Compiled"/> instance
/// that a background thread builds, so building a policy stays fast and scanning becomes fast once the compiled code exists.
/// </summary>
/// <remarks>
/// <para>
/// Constructing the ~60 built-in regexes with <see cref="RegexOptions.Compiled"/> costs about 40 ms plus JIT, far over the
/// 50 ms budget for building the default policy; interpreted, they run about 9× slower inside the prefilter windows. So a
/// policy starts with the interpreted regex. Once a pattern has run <see cref="HotRuns"/> times (scans of a long-lived
/// service, not the one-off scans of a command-line run), one background thread compiles it, once per process, runs it once
/// (so the JIT work happens there too) and publishes it through <see cref="Holder.Current"/>. A scan reads
/// <see cref="Holder.Current"/> once per run: the interpreted and the compiled engine give the same matches, so a
/// scan that starts with one and a later scan that sees the other report the same findings.
/// </para>
/// <para>
/// Holders are shared by pattern and options across all policies of the process, which also spares later policies the
/// construction of the interpreted regex. At most <see cref="MaxShared"/> patterns are shared and compiled; past that,
/// for packs generated in bulk, each policy keeps its own interpreted regex. The AppContext switch
/// <c>SafetyLayers.Scanning.DisableCompiledRegexes</c> turns compilation off.
/// </para>
/// </remarks>
internal static class CompiledRegexCache
{
    /// <summary>The most distinct patterns shared and compiled per process.</summary>
    internal const int MaxShared = 1024;

    /// <summary>The number of runs after which a pattern is queued for compilation.</summary>
    internal const int HotRuns = 256;

    private static readonly ConcurrentDictionary<(string Pattern, RegexOptions Options), Holder> s_holders = new();
    private static readonly ConcurrentQueue<Holder> s_queue = new();
    private static readonly bool s_disabled =
        AppContext.TryGetSwitch("SafetyLayers.Scanning.DisableCompiledRegexes", out bool disabled) && disabled;

    private static int s_workerRunning;

    /// <summary>Returns the holder of a pattern, shared by all policies that use the same pattern and options.</summary>
    /// <param name="pattern">The pattern.</param>
    /// <param name="options">The options, without <see cref="RegexOptions.Compiled"/>.</param>
    /// <param name="timeout">The match timeout.</param>
    /// <param name="compile">Whether the compiled form may replace the interpreted one.</param>
    public static Holder Get(string pattern, RegexOptions options, TimeSpan timeout, bool compile)
    {
        if (!compile || s_disabled || !RuntimeFeatureSupportsCompilation())
        {
            return new Holder(new Regex(pattern, options, timeout), pattern, options, timeout);
        }

        if (s_holders.TryGetValue((pattern, options), out Holder? shared) && shared.Timeout == timeout)
        {
            return shared;
        }

        var holder = new Holder(new Regex(pattern, options, timeout), pattern, options, timeout) { Compilable = true };
        if (s_holders.Count >= MaxShared || !s_holders.TryAdd((pattern, options), holder))
        {
            return s_holders.TryGetValue((pattern, options), out shared) && shared.Timeout == timeout ? shared : new Holder(holder.Current, pattern, options, timeout);
        }

        return holder;
    }

    /// <summary>Queues every shared pattern that is not compiled yet, however often it ran; for tests and benchmarks.</summary>
    internal static void CompileAll()
    {
        foreach (Holder holder in s_holders.Values)
        {
            holder.Promote();
        }
    }

    private static void Enqueue(Holder holder)
    {
        s_queue.Enqueue(holder);
        if (Interlocked.CompareExchange(ref s_workerRunning, 1, 0) == 0)
        {
            StartWorker();
        }
    }

    /// <summary>Waits until every queued pattern is compiled; for tests.</summary>
    internal static void WaitForCompilation()
    {
        while (!s_queue.IsEmpty || Volatile.Read(ref s_workerRunning) != 0)
        {
            Thread.Sleep(10);
        }
    }

    private static bool RuntimeFeatureSupportsCompilation() => System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeCompiled;

    private static void StartWorker()
    {
        var thread = new Thread(Work) { IsBackground = true, Priority = ThreadPriority.BelowNormal, Name = "SafetyLayers regex compiler" };
        thread.Start();
    }

    private static void Work()
    {
        while (true)
        {
            while (s_queue.TryDequeue(out Holder? holder))
            {
                holder.Compile();
            }

            Volatile.Write(ref s_workerRunning, 0);
            if (s_queue.IsEmpty || Interlocked.CompareExchange(ref s_workerRunning, 1, 0) != 0)
            {
                return;   // nothing left, or a new worker took over what was queued after the loop ended
            }
        }
    }

    /// <summary>One pattern's regex: interpreted until the compiled instance is published.</summary>
    internal sealed class Holder
    {
        private readonly string _pattern;
        private readonly RegexOptions _options;
        private Regex _current;
        private int _runs;
        private int _queued;

        public Holder(Regex interpreted, string pattern, RegexOptions options, TimeSpan timeout)
        {
            _current = interpreted;
            _pattern = pattern;
            _options = options;
            Timeout = timeout;
        }

        /// <summary>Gets the regex to run: the compiled one once it exists.</summary>
        public Regex Current => Volatile.Read(ref _current);

        /// <summary>Gets the match timeout of both regexes.</summary>
        public TimeSpan Timeout { get; }

        /// <summary>Gets a value indicating whether this holder may be compiled (it is shared).</summary>
        public bool Compilable { get; init; }

        /// <summary>Gets a value indicating whether the compiled regex has been published.</summary>
        public bool IsCompiled => (Current.Options & RegexOptions.Compiled) != 0;

        /// <summary>Returns the regex to run now, counting the run towards <see cref="HotRuns"/>.</summary>
        public Regex Acquire()
        {
            Regex current = Current;
            if (Compilable && _queued == 0 && ++_runs >= HotRuns)   // a count lost to a race only delays compilation
            {
                Promote();
            }

            return current;
        }

        internal void Promote()
        {
            if (Compilable && Interlocked.Exchange(ref _queued, 1) == 0)
            {
                Enqueue(this);
            }
        }

        internal void Compile()
        {
            try
            {
                var compiled = new Regex(_pattern, _options | RegexOptions.Compiled, Timeout);
                _ = compiled.IsMatch("0 a@b.c key=x");   // the generated methods are jitted on first use: do it here, not in a scan
                Volatile.Write(ref _current, compiled);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Keep the interpreted regex: it matches the same texts.
            }
        }
    }
}
