using System.Drawing;
using Chat.TestKit;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace Chat.Server.Tests.Browser;

/// <summary>The operator dashboard at /admin in one browser window, used with the keyboard as an operator would.</summary>
internal sealed class DashboardPage
{
    private readonly IWebDriver _driver;
    private readonly string _window;

    private DashboardPage(IWebDriver driver, string window)
    {
        _driver = driver;
        _window = window;
    }

    /// <summary>Opens the URL the server prints (<c>/admin#token=...</c>) in the current window and waits until it is live.</summary>
    public static DashboardPage Open(IWebDriver driver, Uri server, string token) =>
        Open(driver, new Uri(server, $"/admin#token={Uri.EscapeDataString(token)}"));

    /// <summary>Opens <paramref name="signIn"/>, a URL with the token in it, and waits until the dashboard is live.</summary>
    public static DashboardPage Open(IWebDriver driver, Uri signIn)
    {
        driver.Navigate().GoToUrl(signIn);
        var page = new DashboardPage(driver, driver.CurrentWindowHandle);
        page.WaitUntilLive();
        return page;
    }

    /// <summary>Opens <c>/admin</c> with no token in the current window and waits for the sign-in form.</summary>
    public static DashboardPage OpenSignedOut(IWebDriver driver, Uri server)
    {
        driver.Navigate().GoToUrl(new Uri(server, "/admin"));
        var page = new DashboardPage(driver, driver.CurrentWindowHandle);
        page.WaitForSignIn();
        return page;
    }

    /// <summary>True while the figures, tables and forms show (not the sign-in form).</summary>
    public bool ShowsBoard
    {
        get
        {
            Focus();
            return _driver.FindElement(By.Id("board")).Displayed;
        }
    }

    /// <summary>Waits until the page asks for the token and shows nothing else.</summary>
    public void WaitForSignIn() =>
        Until(d => d.FindElement(By.Id("sign-in-token")).Displayed && d.FindElement(By.Id("status")).Text.StartsWith("signed out", StringComparison.Ordinal));

    /// <summary>Pastes <paramref name="token"/> into the sign-in form and presses Enter.</summary>
    public void SignIn(string token)
    {
        Focus();
        _driver.FindElement(By.Id("sign-in-token")).SendKeys(token + Keys.Enter);
    }

    /// <summary>Waits until the status line says the figures are live.</summary>
    public void WaitUntilLive() => Until(d => d.FindElement(By.Id("status")).Text.StartsWith("live", StringComparison.Ordinal));

    /// <summary>The address bar: the token must be gone from it.</summary>
    public string Url
    {
        get
        {
            Focus();
            return _driver.Url;
        }
    }

    /// <summary>The status line at the top: "live: updated ..." while it is.</summary>
    public string Status => Text("status");

    /// <summary>Waits until the big user count reads <paramref name="count"/>.</summary>
    public void WaitForUserCount(int count) =>
        Until(d => d.FindElement(By.Id("users-count")).Text == count.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Waits until the users table has a row for each of <paramref name="ids"/>, and no other.</summary>
    public void WaitForUsers(params long[] ids) =>
        Until(d => d.FindElements(By.CssSelector("#users tbody tr")).Select(row => long.Parse(row.GetAttribute("data-id")!, System.Globalization.CultureInfo.InvariantCulture))
            .Order().SequenceEqual(ids.Order()));

    /// <summary>Moves to the user's Kick button with the keyboard's focus and presses Enter.</summary>
    public void Kick(long id)
    {
        Focus();
        _driver.FindElement(By.CssSelector($"button[data-kick='{id}']")).SendKeys(Keys.Enter);
    }

    /// <summary>Types <paramref name="text"/> into the say box and presses Enter.</summary>
    public void Say(string text)
    {
        Focus();
        _driver.FindElement(By.Id("say-text")).SendKeys(text + Keys.Enter);
    }

    /// <summary>Chooses the limit, types the value and presses Enter.</summary>
    public void SetLimit(string name, int value)
    {
        Focus();
        // Typing a name into a focused select chooses it, as it does for a person.
        _driver.FindElement(By.Id("set-name")).SendKeys(name);
        _driver.FindElement(By.Id("set-value")).SendKeys(value.ToString(System.Globalization.CultureInfo.InvariantCulture) + Keys.Enter);
    }

    /// <summary>Waits until the line under an action (say-result, kick-result, set-result) reads <paramref name="text"/>.</summary>
    public void WaitForResult(string id, string text) => Until(d => d.FindElement(By.Id(id)).Text == text);

    /// <summary>Waits until a row of the table <paramref name="tableId"/> has cells reading <paramref name="cells"/>, in that order.</summary>
    public void WaitForRow(string tableId, params string[] cells) =>
        Until(d => d.FindElements(By.CssSelector($"#{tableId} tbody tr")).Any(row =>
        {
            // textContent: a cell scrolled out of a narrow table's view still counts.
            var texts = row.FindElements(By.TagName("td")).Select(cell => cell.GetDomProperty("textContent")).ToList();
            var at = 0;
            return cells.All(cell => (at = texts.IndexOf(cell, at)) >= 0);
        }));

    /// <summary>How many points the chart draws (one a second).</summary>
    public int ChartPoints(string chartId)
    {
        var points = Text(chartId, "polyline", "points");
        return points.Length == 0 ? 0 : points.Split(' ').Length;
    }

    /// <summary>Saves what the window shows at <paramref name="width"/> x <paramref name="height"/> pixels.</summary>
    public void SaveScreenshot(string path, int width, int height)
    {
        Focus();
        _driver.Manage().Window.Size = new Size(width, height);
        // From the top, with no field focused: the page as it first appears.
        ((IJavaScriptExecutor)_driver).ExecuteScript("document.activeElement?.blur(); window.scrollTo(0, 0);");
        Until(d => d.FindElement(By.Id("status")).Text.StartsWith("live", StringComparison.Ordinal));
        ((ITakesScreenshot)_driver).GetScreenshot().SaveAsFile(path);
    }

    private string Text(string id)
    {
        Focus();
        return _driver.FindElement(By.Id(id)).Text;
    }

    private string Text(string id, string child, string attribute)
    {
        Focus();
        return _driver.FindElement(By.Id(id)).FindElement(By.TagName(child)).GetAttribute(attribute) ?? string.Empty;
    }

    private void Focus() => _driver.SwitchTo().Window(_window);

    private void Until(Func<IWebDriver, bool> condition)
    {
        Focus();
        new WebDriverWait(_driver, TestTimeouts.Default).Until(condition);
    }
}
