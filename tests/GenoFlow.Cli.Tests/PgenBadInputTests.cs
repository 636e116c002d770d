using System.Buffers.Binary;

namespace GenoFlow.Cli.Tests;

/// <summary>Each kind of broken PLINK 2 fileset: one error naming the file and where, exit 1, no dataset written.</summary>
public class PgenBadInputTests
{
    [Fact]
    public async Task Wrong_magic_is_refused_at_byte_offset_0()
    {
        using var dir = await Plink2FilesetAsync();
        byte[] bytes = await File.ReadAllBytesAsync(dir["pf.pgen"]);
        bytes[1] = 0x1c;
        await File.WriteAllBytesAsync(dir["pf.pgen"], bytes);

        await AssertRefusedAsync(dir, "pf.pgen", "byte offset 0", "magic");
    }

    [Fact]
    public async Task A_truncated_pgen_is_refused_naming_where_its_records_run_out()
    {
        using var dir = await Plink2FilesetAsync();
        byte[] bytes = await File.ReadAllBytesAsync(dir["pf.pgen"]);
        await File.WriteAllBytesAsync(dir["pf.pgen"], bytes[..^40]);

        await AssertRefusedAsync(dir, "pf.pgen", "byte offset", "past the end of the file");
    }

    [Fact]
    public async Task A_record_naming_a_sample_beyond_the_last_is_refused_at_its_offset()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir["ld.vcf"], TestVcfs.Structured(seed: 1, samples: 600, variants: 60, multiAllelic: false, phased: false));
        await ExternalTool.RunAsync("plink2", "--vcf", dir["ld.vcf"], "--make-pgen", "--out", dir["pf"], "--silent");
        byte[] bytes = await File.ReadAllBytesAsync(dir["pf.pgen"]);
        // The first non-empty difference list against all REF/REF (type 4): its first group's start sample (2 bytes
        // for 600 samples, after the 1-byte length) is set past the last sample.
        (int index, long offset) = RecordOffsets(bytes).First(r => RecordType(bytes, r.Index) == 4 && bytes[r.Offset] > 0);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan((int)offset + 1), 0xFFFF);
        await File.WriteAllBytesAsync(dir["pf.pgen"], bytes);

        await AssertRefusedAsync(dir, "pf.pgen", $"variant {index + 1}", "byte offset", "sample index 65535");
    }

    [Fact]
    public async Task A_psam_with_another_sample_count_is_refused()
    {
        using var dir = await Plink2FilesetAsync();
        string[] lines = await File.ReadAllLinesAsync(dir["pf.psam"]);
        await File.WriteAllLinesAsync(dir["pf.psam"], lines[..^1]);

        await AssertRefusedAsync(dir, "pf.pgen", "byte offset 7", "the header says 23 samples", "lists 22");
    }

    [Fact]
    public async Task A_pvar_with_fewer_variants_than_the_pgen_is_refused()
    {
        using var dir = await Plink2FilesetAsync();
        string[] lines = await File.ReadAllLinesAsync(dir["pf.pvar"]);
        await File.WriteAllLinesAsync(dir["pf.pvar"], lines[..^3]);

        await AssertRefusedAsync(dir, "pf.pvar", "ends after 47 variants", "holds 50");
    }

    /// <summary>A plink2-written fileset (pf.pgen/.pvar/.psam) of 23 simulated samples x 50 variants.</summary>
    private static async Task<TempDirectory> Plink2FilesetAsync()
    {
        var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "23", "--variants", "50", "--missing-rate", "0.05", "--seed", "3");
        await ExternalTool.RunAsync("plink2", "--bfile", dir["sim/cohort"], "--make-pgen", "--out", dir["pf"], "--silent");
        return dir;
    }

    /// <summary>Variable-width .pgen (one block, 4-bit types, 1-byte lengths as plink2 writes small files): each record's start.</summary>
    private static IEnumerable<(int Index, long Offset)> RecordOffsets(byte[] pgen)
    {
        Assert.Equal(0x40, pgen[11]);
        int variants = (int)BinaryPrimitives.ReadUInt32LittleEndian(pgen.AsSpan(3));
        long offset = (long)BinaryPrimitives.ReadUInt64LittleEndian(pgen.AsSpan(12));
        int lengthsAt = 20 + ((variants + 1) / 2);
        for (int i = 0; i < variants; i++)
        {
            yield return (i, offset);
            offset += pgen[lengthsAt + i];
        }
    }

    private static int RecordType(byte[] pgen, int index) => (pgen[20 + (index / 2)] >> (4 * (index % 2))) & 15;

    private static async Task AssertRefusedAsync(TempDirectory dir, params string[] mentions)
    {
        GenoFlowProcess.Result result = await GenoFlowProcess.RunAsync(["import", "--pfile", dir["pf"], "--out", dir["ds"]]);
        BadInputTests.AssertCleanFailure(result, mentions);
        Assert.False(Directory.Exists(dir["ds"]), "a failed import must leave no dataset");
        Assert.Empty(Directory.EnumerateDirectories(dir.Path, "ds*"));
    }
}
