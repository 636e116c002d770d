using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace GenoFlow.Analysis.Tests.TestSupport;

/// <summary>
/// Runs Training/sklearn_reference.py with /usr/bin/python3 (python3-sklearn; tests/run.sh installs it): the
/// centralised scikit-learn fit on the same standardised features, built independently from the .bed.
/// </summary>
public static class Sklearn
{
    private const string Python = "/usr/bin/python3";

    public sealed record Result(JsonElement Json, double[] Coefficients)
    {
        public double Metric(string name) => Json.GetProperty(name).GetDouble();
    }

    /// <param name="gcvL2s">Also report scikit-learn/numpy's generalised cross-validation scores at these l2 values ("gcv").</param>
    /// <param name="looL2s">Also report RidgeCV's leave-one-out scores at these l2 values ("loo") and its choice among them ("loo_chosen_l2").</param>
    /// <param name="crossValidate">Let scikit-learn choose the penalty (RidgeCV / LogisticRegressionCV); l1 and l2 are then ignored.</param>
    public static Result Fit(string bedPrefix, string phenotypes, string target, string covariates, string predictions, string model, double l1, double l2, string workDirectory,
        bool crossValidate = false, string classWeight = "none", IReadOnlyList<double>? gcvL2s = null,
        IReadOnlyList<double>? looL2s = null)
    {
        Assert.True(File.Exists(Python), "/usr/bin/python3 is missing; tests/run.sh installs python3-sklearn");
        string script = Path.Combine(AppContext.BaseDirectory, "Training", "sklearn_reference.py");
        string coef = Path.Combine(workDirectory, $"coef-{Guid.NewGuid():N}.txt");
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { script, "--bed", bedPrefix, "--phenotypes", phenotypes, "--target", target, "--covariates", covariates, "--split", predictions,
            "--model", model, "--l1", l1.ToString("R", CultureInfo.InvariantCulture), "--l2", l2.ToString("R", CultureInfo.InvariantCulture), "--coef", coef, "--class-weight", classWeight })
        {
            psi.ArgumentList.Add(a);
        }
        if (crossValidate)
        {
            psi.ArgumentList.Add("--cv");
        }
        if (gcvL2s is not null)
        {
            psi.ArgumentList.Add("--gcv");
            psi.ArgumentList.Add(string.Join(",", gcvL2s.Select(l => l.ToString("R", CultureInfo.InvariantCulture))));
        }
        if (looL2s is not null)
        {
            psi.ArgumentList.Add("--loo");
            psi.ArgumentList.Add(string.Join(",", looL2s.Select(l => l.ToString("R", CultureInfo.InvariantCulture))));
        }
        string stdout = Run(psi);
        double[] coefficients = [.. File.ReadAllLines(coef).Select(l => double.Parse(l, CultureInfo.InvariantCulture))];
        return new Result(JsonDocument.Parse(stdout).RootElement.Clone(), coefficients);
    }

    /// <summary>Runs Training/sklearn_metrics.py: scikit-learn's metrics of a predictions.tsv, {split: {metric: value}}.</summary>
    public static JsonElement Metrics(string predictions, string phenotypes, string target, string model, double threshold = 0.5)
    {
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { Path.Combine(AppContext.BaseDirectory, "Training", "sklearn_metrics.py"), "--predictions", predictions, "--phenotypes", phenotypes,
            "--target", target, "--model", model, "--threshold", threshold.ToString("R", CultureInfo.InvariantCulture) })
        {
            psi.ArgumentList.Add(a);
        }
        return JsonDocument.Parse(Run(psi)).RootElement.Clone();
    }

    private static string Run(ProcessStartInfo psi)
    {
        using var process = Process.Start(psi)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{psi.ArgumentList[0]} exited with {process.ExitCode}:\n{stdout}\n{stderr.Result}");
        return stdout;
    }
}
