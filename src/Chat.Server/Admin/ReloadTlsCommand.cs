using Chat.Server.Transport;

namespace Chat.Server.Admin;

/// <summary>
/// <c>reload.tls</c>: reads the TLS certificate files again (as SIGHUP does). New connections get
/// the new certificate, current ones keep going; bad files leave the old certificate in place.
/// </summary>
internal sealed class ReloadTlsCommand : IOperatorCommand
{
    private readonly TlsCertificateStore? _store;

    public ReloadTlsCommand(TlsCertificateStore? store = null) => _store = store;

    public string Name => "reload.tls";

    public string Usage => "reload.tls [--json]";

    public string Summary => "read the TLS certificate and key files again; new connections get the new certificate";

    public void Execute(IReadOnlyList<string> arguments, CommandOutput output)
    {
        CommandArguments.ExpectNone(arguments);
        if (_store is null)
        {
            throw new CommandException("TLS is off (start the server with --tls-port)");
        }

        TlsCertificate loaded;
        try
        {
            loaded = _store.Reload();
        }
        catch (TlsCertificateException exception)
        {
            throw new CommandException($"{exception.Message} The old certificate stays: {_store.Current.Describe()}");
        }

        output.Confirm($"loaded {loaded.Describe()}",
            new { Subject = loaded.Subject, NotAfter = loaded.NotAfter, Thumbprint = loaded.Thumbprint });
    }
}
