namespace Chat.Server.Admin;

/// <summary>Aligned columns for people: a header row, then one row per item, numbers right-aligned.</summary>
internal sealed class TextTable
{
    private readonly string[] _headers;
    private readonly List<string[]> _rows = [];

    public TextTable(params string[] headers) => _headers = headers;

    /// <summary>A whole number as a cell: invariant digits, so the column right-aligns.</summary>
    public static string Number(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void Add(params string[] cells)
    {
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"a row needs {_headers.Length} cells, got {cells.Length}", nameof(cells));
        }

        _rows.Add(cells);
    }

    /// <summary>Writes the table; without the header row for key-value lists.</summary>
    public void WriteTo(TextWriter output, bool withHeader = true)
    {
        var widths = _headers.Select((header, column) => _rows.Select(row => row[column].Length).Append(withHeader ? header.Length : 0).Max()).ToArray();
        var numeric = _headers.Select((_, column) => _rows.Count > 0 && _rows.All(row => IsNumber(row[column]))).ToArray();
        if (withHeader)
        {
            output.WriteLine(Format(_headers, widths, numeric));
        }

        foreach (var row in _rows)
        {
            output.WriteLine(Format(row, widths, numeric));
        }
    }

    private static string Format(string[] cells, int[] widths, bool[] numeric) =>
        string.Join("  ", cells.Select((cell, column) => numeric[column] ? cell.PadLeft(widths[column]) : cell.PadRight(widths[column]))).TrimEnd();

    private static bool IsNumber(string cell) => cell.Length > 0 && cell.All(c => char.IsDigit(c) || c is '.' or '-' or ',');
}
