using System.Diagnostics;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace Enigm.Benchmarks.Infrastructure;

/// <summary>
/// <c>dotnet run -c Release -- smoke</c>: runs every benchmark method once for every parameter
/// combination, in process, with the same setup checks as the real run. It proves the suite works
/// against the providers compiled in (in seconds, not the 20 minutes of a measured run) and prints
/// which cases exist; it measures nothing.
/// </summary>
internal static class SmokeRun
{
    public static int Run(Assembly assembly)
    {
        var failures = 0;
        foreach (var type in assembly.GetTypes().Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null)))
        {
            foreach (var parameters in Combinations(type))
            {
                var instance = Activator.CreateInstance(type)!;
                foreach (var (property, value) in parameters) property.SetValue(instance, value);
                var label = $"{type.Name}({string.Join(", ", parameters.Select(p => $"{p.Property.Name}={p.Value}"))})";
                try
                {
                    Invoke<GlobalSetupAttribute>(instance);
                    foreach (var method in type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
                    {
                        var clock = Stopwatch.StartNew();
                        method.Invoke(instance, null);
                        Console.WriteLine($"ok    {label}.{method.Name}  ({clock.Elapsed.TotalMilliseconds:F2} ms, first call)");
                    }

                    Invoke<GlobalCleanupAttribute>(instance);
                }
                catch (Exception e) when (e is TargetInvocationException or InvalidOperationException)
                {
                    failures++;
                    Console.WriteLine($"FAIL  {label}: {(e.InnerException ?? e).GetType().Name}: {(e.InnerException ?? e).Message}");
                }
            }
        }

        Console.WriteLine(failures == 0 ? "smoke: all cases ran" : $"smoke: {failures} case(s) failed");
        return failures == 0 ? 0 : 1;
    }

    private static void Invoke<TAttribute>(object instance)
        where TAttribute : Attribute
    {
        foreach (var method in instance.GetType().GetMethods().Where(m => m.GetCustomAttribute<TAttribute>() is not null))
            method.Invoke(instance, null);
    }

    internal static List<List<(PropertyInfo Property, object? Value)>> Combinations(Type type)
    {
        List<List<(PropertyInfo, object?)>> result = [[]];
        foreach (var property in type.GetProperties())
        {
            object?[]? values = null;
            if (property.GetCustomAttribute<ParamsSourceAttribute>() is { } source)
                values = [.. ((System.Collections.IEnumerable)type.GetProperty(source.Name)!.GetValue(null)!).Cast<object?>()];
            else if (property.GetCustomAttribute<ParamsAttribute>() is { } fixedValues)
                values = fixedValues.Values;
            if (values is null) continue;
            result = [.. result.SelectMany(prefix => values.Select(v => (List<(PropertyInfo, object?)>)[.. prefix, (property, v)]))];
        }

        return result;
    }
}
