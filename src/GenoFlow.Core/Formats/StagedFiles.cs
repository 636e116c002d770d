namespace GenoFlow.Core.Formats;

/// <summary>
/// The members of a fileset written under temporary names beside their targets and renamed into place together, in
/// the order given (so the member named last, the one readers open first, appears only when the others are there).
/// </summary>
internal sealed class StagedFiles
{
    private readonly (string Temp, string Target)[] _files;

    public StagedFiles(params string[] targets)
    {
        string tag = "." + Guid.NewGuid().ToString("N")[..12] + ".tmp";
        _files = targets.Select(t => (t + tag, t)).ToArray();
    }

    /// <summary>Where member <paramref name="index"/> is written until <see cref="Publish"/>.</summary>
    public string Temp(int index) => _files[index].Temp;

    public void Publish()
    {
        foreach ((string temp, string target) in _files)
        {
            File.Move(temp, target, overwrite: true);
        }
    }

    public void DeleteTemps()
    {
        foreach ((string temp, _) in _files)
        {
            File.Delete(temp);
        }
    }
}
