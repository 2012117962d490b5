package io.storefleet.coordinator.console;

import static org.awaitility.Awaitility.await;

import io.storefleet.worker.testing.MissingComponent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven by Debian's chromedriver, both named by path so that Selenium
 * never looks for (or downloads) a browser or a driver. Without them a test is skipped on a
 * developer's machine, naming the install script; in CI ({@code CI=true}) it fails.
 */
final class ConsoleBrowser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  static final String INSTALL = "deploy/console/install-browser.sh";
  /** axe-core as the install script leaves it (a module's tests run in the module's folder). */
  static final Path AXE = Path.of("../deploy/console/axe/node_modules/axe-core/axe.min.js");
  static final Dimension DESKTOP = new Dimension(1280, 800);
  static final Dimension NARROW = new Dimension(420, 800);

  final WebDriver driver;
  private final ChromeDriverService service;
  private final Path screenshots;
  /** axe-core's script, or null where it is not installed (never in CI: start fails there). */
  private final String axe;

  private ConsoleBrowser(ChromeDriverService service, WebDriver driver, Path screenshots, String axe) {
    this.service = service;
    this.driver = driver;
    this.screenshots = screenshots;
    this.axe = axe;
  }

  /** Why the accessibility scan cannot run here, or null when it can. */
  String axeMissing() {
    return axe != null ? null : AXE_MISSING;
  }

  private static final String AXE_MISSING = "the console's accessibility scan needs axe-core in "
      + AXE.toAbsolutePath().normalize() + "; install it with " + INSTALL + " (as root)";

  /** Starts the browser with a private profile under {@code dir}; screenshots go to {@code screenshots}. */
  static ConsoleBrowser start(Path dir, Path screenshots) throws IOException {
    MissingComponent.require(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
        "the console's browser tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", " + DRIVER
            + "); install them with " + INSTALL + " (as root)");
    String axe = Files.isRegularFile(AXE) ? Files.readString(AXE) : null;
    if (axe == null && MissingComponent.inCi()) {
      // Elsewhere only the scan is skipped (the last test says so), not the browser tests.
      MissingComponent.require(false, AXE_MISSING);
    }
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().withLogOutput(OutputStream.nullOutputStream()).build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-extensions", "--disable-features=Translate,MediaRouter,OptimizationHints", "--lang=en-US",
        "--window-size=" + DESKTOP.width + "," + DESKTOP.height, "--user-data-dir=" + dir.resolve("profile"));
    // The coordinator's certificate is its own self-signed one, as in a fresh install.
    options.setAcceptInsecureCerts(true);
    Files.createDirectories(screenshots);
    ChromeDriver driver;
    try {
      driver = new ChromeDriver(service, options);
    } catch (RuntimeException e) {
      service.stop();
      throw e;
    }
    driver.manage().window().setSize(DESKTOP);
    return new ConsoleBrowser(service, driver, screenshots, axe);
  }

  void open(String url) {
    driver.get(url);
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** The text of the element {@code css} once it exists (re-read on every poll: pages re-render live). */
  String text(String css) {
    return find(css).getText();
  }

  /** Waits until {@code css}'s text contains {@code part}, re-finding the element on every try. */
  void awaitText(String css, String part) {
    await().ignoreExceptions().pollInterval(Duration.ofMillis(100))
        .until(() -> text(css).contains(part));
  }

  void awaitPresent(String css) {
    await().ignoreExceptions().pollInterval(Duration.ofMillis(100)).until(() -> !all(css).isEmpty());
  }

  /** Clicks {@code css} once it can be clicked (live pages may replace it between find and click). */
  void click(String css) {
    await().ignoreExceptions().pollInterval(Duration.ofMillis(100)).until(() -> {
      find(css).click();
      return true;
    });
  }

  void type(String css, String value) {
    WebElement e = find(css);
    e.clear();
    e.sendKeys(value);
  }

  /** Answers the page's confirmation dialog. */
  String confirm(boolean accept) {
    Alert alert = await().ignoreExceptions().pollInterval(Duration.ofMillis(50))
        .until(() -> driver.switchTo().alert(), a -> a != null);
    String text = alert.getText();
    if (accept) {
      alert.accept();
    } else {
      alert.dismiss();
    }
    return text;
  }

  void size(Dimension d) {
    driver.manage().window().setSize(d);
  }

  /**
   * The page's controls that a keyboard or a screen reader could not use: a visible field without
   * a label, a button or link without a name, or any of them taken out of the tab order.
   */
  @SuppressWarnings("unchecked")
  List<String> unusableControls() {
    return (List<String>) ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("""
        const bad = [];
        for (const e of document.querySelectorAll('input, select, textarea, button, a[href]')) {
          if (e.offsetParent === null) { continue; }
          const name = e.getAttribute('aria-label') || (e.labels && e.labels.length ? e.labels[0].textContent : '')
            || (e.tagName === 'BUTTON' || e.tagName === 'A' ? e.textContent.trim() : '');
          if (!name) { bad.push(e.outerHTML.substring(0, 120)); }
          if (e.tabIndex < 0) { bad.push('not in the tab order: ' + e.outerHTML.substring(0, 120)); }
        }
        return bad;""");
  }

  /**
   * axe-core's serious and critical violations on the page as it is now, one line each (rule,
   * impact, the first elements); empty when there is none. Call only when {@link #axeMissing()}
   * is null. Scripts run through the driver are not subject to the page's Content-Security-Policy,
   * so axe is injected as it is, from the local file.
   */
  List<String> seriousViolations() {
    org.openqa.selenium.JavascriptExecutor js = (org.openqa.selenium.JavascriptExecutor) driver;
    js.executeScript(axe);
    Object found = js.executeAsyncScript(String.join("\n",
        "const done = arguments[arguments.length - 1];",
        "axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations",
        "  .filter(v => v.impact === 'serious' || v.impact === 'critical')",
        "  .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.slice(0, 3)",
        "    .map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').replace(/\\s+/g, ' ')).join('; '))))",
        ".catch(e => done(['axe failed: ' + e]));"));
    @SuppressWarnings("unchecked")
    List<String> lines = (List<String>) found;
    return lines;
  }

  /** Saves what the browser shows as {@code name}.png. */
  void screenshot(String name) throws IOException {
    byte[] png = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
    Files.write(screenshots.resolve(name + ".png"), png);
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
    }
  }
}
