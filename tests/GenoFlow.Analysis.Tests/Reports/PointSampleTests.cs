using GenoFlow.Analysis.Reports;

namespace GenoFlow.Analysis.Tests.Reports;

/// <summary>The report's subsampling: all points up to the limit, above it the same distinct points for the same seed, and series sharing one limit.</summary>
public class PointSampleTests
{
    [Fact]
    public void Up_to_the_limit_every_point_is_drawn_above_it_a_seeded_sorted_subset_of_distinct_points()
    {
        Assert.Equal(Enumerable.Range(0, 50), PointSample.Indices(50, 50, seed: 1));
        int[] drawn = PointSample.Indices(100_000, 10_000, seed: 1);
        Assert.Equal(10_000, drawn.Length);
        Assert.Equal(drawn.Order(), drawn);
        Assert.Equal(drawn.Length, drawn.Distinct().Count());
        Assert.All(drawn, i => Assert.InRange(i, 0, 99_999));
        Assert.Equal(drawn, PointSample.Indices(100_000, 10_000, seed: 1));
        Assert.NotEqual(drawn, PointSample.Indices(100_000, 10_000, seed: 2));
        // A uniform subset: about a tenth of each half of the range.
        Assert.InRange(drawn.Count(i => i < 50_000), 4_700, 5_300);
    }

    [Fact]
    public void Series_of_one_plot_share_the_limit_in_proportion_and_keep_every_point_when_they_fit()
    {
        Assert.Equal([600, 150], PointSample.Shares([600, 150], 10_000));
        int[] shares = PointSample.Shares([100_000, 20_000, 0, 3], 10_000);
        Assert.Equal([8_333, 1_666, 0, 1], shares);
        Assert.True(shares.Sum() <= 10_000);
    }
}
