namespace DkmsPack.Dkms;

/// <summary>Reads dkms.conf statically and validates it. (Being written on branch dkmsconf.)</summary>
public static class DkmsConfReader
{
    /// <summary>
    /// Parses and validates <paramref name="text"/>. Throws <see cref="Diagnostics.InvalidInputException"/>
    /// listing every error and warning when there is at least one error.
    /// </summary>
    public static DkmsConf Read(string text, string displayPath, DkmsConfOptions options)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(options);
        throw new NotImplementedException(displayPath);
    }
}
