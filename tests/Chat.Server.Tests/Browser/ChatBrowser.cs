using Chat.TestKit;
using OpenQA.Selenium.Chrome;

namespace Chat.Server.Tests.Browser;

/// <summary>
/// Debian's headless chromium driven through Debian's chromedriver (both installed by test.sh);
/// nothing is downloaded. One browser per test, each page in a window of its own.
/// </summary>
internal static class ChatBrowser
{
    // The real binary: /usr/bin/chromium is a shell wrapper that prints a harmless warning.
    private const string ChromiumBinary = "/usr/lib/chromium/chromium";
    private const string DriverDirectory = "/usr/bin";

    public static ChromeDriver Start()
    {
        if (!File.Exists(ChromiumBinary) || !File.Exists(Path.Combine(DriverDirectory, "chromedriver")))
        {
            throw new InvalidOperationException("browser tests need Debian's chromium and chromium-driver (./test.sh installs them)");
        }

        var options = new ChromeOptions { BinaryLocation = ChromiumBinary };
        // A phone-sized window: the page must be usable at that width.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=400,800");
        var service = ChromeDriverService.CreateDefaultService(DriverDirectory, "chromedriver");
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        return new ChromeDriver(service, options, TestTimeouts.Default);
    }
}
