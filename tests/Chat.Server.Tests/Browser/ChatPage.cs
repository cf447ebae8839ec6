using System.Text.RegularExpressions;
using Chat.TestKit;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace Chat.Server.Tests.Browser;

/// <summary>The chat page at / in one browser window, read the way a person reads it.</summary>
internal sealed partial class ChatPage
{
    private readonly IWebDriver _driver;
    private readonly string _window;

    private ChatPage(IWebDriver driver, string window, long id)
    {
        _driver = driver;
        _window = window;
        Id = id;
    }

    public long Id { get; }

    /// <summary>Opens the page in a new window (the first one in the current) and waits for "you are user N".</summary>
    public static ChatPage Open(IWebDriver driver, Uri address, bool newWindow)
    {
        if (newWindow)
        {
            driver.SwitchTo().NewWindow(WindowType.Window);
        }

        driver.Navigate().GoToUrl(address);
        var status = Wait(driver).Until(d =>
            d.FindElement(By.Id("status")).Text is var text && UserStatus().IsMatch(text) ? text : null);
        return new ChatPage(driver, driver.CurrentWindowHandle, long.Parse(UserStatus().Match(status!).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Opens the page in the current window and waits until its status line matches <paramref name="status"/>.</summary>
    public static string OpenExpectingStatus(IWebDriver driver, Uri address, Regex status)
    {
        driver.Navigate().GoToUrl(address);
        return WaitForStatus(driver, status);
    }

    /// <summary>Waits until the status line of the current window matches <paramref name="status"/>, and returns it.</summary>
    public static string WaitForStatus(IWebDriver driver, Regex status) =>
        Wait(driver).Until(d => d.FindElement(By.Id("status")).Text is var text && status.IsMatch(text) ? text : null)!;

    /// <summary>Types a line into the input and presses Enter.</summary>
    public void Send(string line)
    {
        _driver.SwitchTo().Window(_window);
        var input = _driver.FindElement(By.Id("text"));
        input.SendKeys(line + Keys.Enter);
    }

    /// <summary>
    /// Puts <paramref name="text"/> into the input at once (typing it key by key would take long for
    /// big texts) and presses Enter, to everyone.
    /// </summary>
    public void Paste(string text)
    {
        _driver.SwitchTo().Window(_window);
        var input = _driver.FindElement(By.Id("text"));
        ((IJavaScriptExecutor)_driver).ExecuteScript("arguments[0].value = arguments[1];", input, text);
        input.SendKeys(Keys.Enter);
    }

    /// <summary>Waits until this window's status line matches <paramref name="status"/>, and returns it.</summary>
    public string WaitForStatus(Regex status)
    {
        _driver.SwitchTo().Window(_window);
        return WaitForStatus(_driver, status);
    }

    /// <summary>The message items this page shows now, as "label: text".</summary>
    public IReadOnlyList<string> Messages()
    {
        _driver.SwitchTo().Window(_window);
        return _driver.FindElements(By.CssSelector("#messages li"))
            .Select(item => $"{item.FindElement(By.CssSelector(".label")).Text}: {item.FindElement(By.CssSelector(".text")).Text}")
            .ToList();
    }

    /// <summary>Waits until a message item shows <paramref name="label"/> and <paramref name="text"/>.</summary>
    public void WaitForMessage(string label, string text)
    {
        _driver.SwitchTo().Window(_window);
        Wait(_driver).Until(d => d.FindElements(By.CssSelector("#messages li")).Any(item =>
            item.FindElement(By.CssSelector(".label")).Text == label && item.FindElement(By.CssSelector(".text")).Text == text));
    }

    /// <summary>Waits until a server notice shown beside one of this page's messages reads <paramref name="text"/>.</summary>
    public void WaitForNotice(string text)
    {
        _driver.SwitchTo().Window(_window);
        Wait(_driver).Until(d => d.FindElements(By.CssSelector("#messages li .notice")).Any(notice => notice.Text == text));
    }

    public void SaveScreenshot(string path)
    {
        _driver.SwitchTo().Window(_window);
        ((ITakesScreenshot)_driver).GetScreenshot().SaveAsFile(path);
    }

    private static WebDriverWait Wait(IWebDriver driver) => new(driver, TestTimeouts.Default);

    [GeneratedRegex(@"^you are user (\d+)$")]
    private static partial Regex UserStatus();
}
