namespace GenoFlow.Analysis.Tables;

/// <summary>
/// One column of a <see cref="SampleTable"/>: <see cref="Numbers"/> (NaN = missing) when every cell is a number or
/// missing, else the cells' <see cref="Texts"/>. <see cref="Field"/> is its position in the file, counted from 1.
/// </summary>
internal sealed record TableColumn(string Name, int Field, double[]? Numbers, string[]? Texts);
