package io.fleetprov.claims;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.testing.SdkDevice;
import io.fleetprov.testing.quarkus.InjectIotEmulator;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.iot.iotidentity.model.CreateKeysAndCertificateResponse;
import software.amazon.awssdk.iot.iotidentity.model.RegisterThingResponse;

/**
 * The installer app in a real browser (Debian's chromium, headless, driven through chromium-driver; nothing is
 * downloaded): sign in at the emulator's hosted UI, claim for a serial number, download the bundle, provision a
 * device with it through the official device SDK, watch the page turn USED with the thing name, sign out; a second
 * installer then sees none of the first one's claims. Screenshots of each step land in target/installer-app/.
 */
@QuarkusTest
class InstallerAppBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SHOTS = Path.of("target/installer-app");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @InjectIotEmulator
    IotEmulator emulator;

    private static WebDriver browser;
    private static Path downloads;

    @BeforeAll
    static void startBrowser() throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "skipped: the browser test needs Debian's chromium and chromium-driver "
                        + "(apt-get install -y chromium chromium-driver)");
        // Selenium Manager would look for (and download) a driver and a browser: both paths are given, so it is not
        // asked (and the build sets SE_OFFLINE for it anyway).
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        Files.createDirectories(SHOTS);
        downloads = Files.createTempDirectory("installer-app-downloads");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--window-size=420,900",
                // The service's certificate comes from the emulator's CA, which this browser has no store for: it is
                // trusted by its public key, exactly that one, instead of by turning certificate checks off.
                "--ignore-certificate-errors-spki-list=" + serverKeyPin(),
                "--user-data-dir=" + Files.createTempDirectory("installer-app-chromium"));
        options.setExperimentalOption(
                "prefs",
                Map.of(
                        "download.default_directory", downloads.toString(),
                        "download.prompt_for_download", false,
                        "safebrowsing.enabled", false));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void installerClaimsHandsOverAndWatchesTheDeviceProvision() throws Exception {
        try {
            scenario();
        } catch (Exception | AssertionError e) {
            // What the browser showed when it went wrong, next to the screenshots.
            Files.writeString(SHOTS.resolve("failure.html"), browser.getCurrentUrl() + "\n" + browser.getPageSource());
            shot("failure");
            throw e;
        }
    }

    private void scenario() throws Exception {
        String alice = ClaimServiceEmulator.installer();
        String bob = ClaimServiceEmulator.installer();
        String serial = Claims.serial();
        String app = "https://localhost:" + Tokens.config("fleetprov-test.https-port") + "/app";

        signIn(app, alice);
        assertThat(text("user-name")).isEqualTo(alice);
        assertThat(text("user-groups")).contains("installer");
        shot("1-signed-in");

        // A bad serial number is explained in words, with the rule it broke; nothing is issued.
        browser.findElement(By.id("serial")).sendKeys("not a serial!");
        browser.findElement(By.id("claim-button")).click();
        await().until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
        assertThat(text("error")).contains("not valid").contains("characters matching");
        shot("1b-invalid-serial");

        browser.findElement(By.id("serial")).clear();
        browser.findElement(By.id("serial")).sendKeys(serial);
        browser.findElement(By.id("claim-button")).click();
        await().until(ExpectedConditions.visibilityOfElementLocated(By.id("claim-status")));
        assertThat(text("claim-serial")).isEqualTo(serial);
        assertThat(text("claim-status")).isEqualTo("ISSUED");
        assertThat(text("countdown")).matches("[0-5]:[0-5][0-9]");
        String claimId = text("claim-certificate-id");
        shot("2-claim-issued");

        browser.findElement(By.id("download-button")).click();
        Map<String, byte[]> zip = unzip(awaitDownload());
        assertThat(zip).containsKeys("certificate.pem.crt", "private.key", "config.json");
        String config = new String(zip.get("config.json"), StandardCharsets.UTF_8);
        assertThat(config).contains(serial).contains(emulator.mqttEndpoint()).contains(ClaimServiceEmulator.TEMPLATE);
        String caName = zip.keySet().stream()
                .filter(n -> n.endsWith(".pem") && !n.equals("certificate.pem.crt"))
                .findFirst()
                .orElseThrow();

        try (SdkDevice device = SdkDevice.connect(
                emulator.mqttEndpoint(),
                new String(zip.get(caName), StandardCharsets.US_ASCII),
                new String(zip.get("certificate.pem.crt"), StandardCharsets.US_ASCII),
                new String(zip.get("private.key"), StandardCharsets.US_ASCII),
                "claim-" + serial)) {
            CreateKeysAndCertificateResponse keys = device.createKeysAndCertificate();
            RegisterThingResponse registered = device.registerThing(
                    ClaimServiceEmulator.TEMPLATE, keys.certificateOwnershipToken, Map.of("SerialNumber", serial));
            assertThat(registered.thingName).isEqualTo(serial);
        }
        await().until(ExpectedConditions.textToBe(By.id("claim-status"), "USED"));
        assertThat(text("claim-thing")).contains(serial);
        shot("3-device-provisioned");

        // The bundle was handed over once: the same download again gets nothing.
        browser.findElement(By.id("download-button")).click();
        await().until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
        assertThat(text("error")).contains("downloaded once");

        browser.findElement(By.id("sign-out")).click();
        await().until(ExpectedConditions.visibilityOfElementLocated(By.id("signed-out")));
        shot("4-signed-out");

        signIn(app, bob);
        assertThat(text("user-name")).isEqualTo(bob);
        assertThat(browser.getPageSource()).doesNotContain(serial).doesNotContain(claimId);
        shot("5-second-installer");
        browser.get(app + "/claims/" + claimId + "/status");
        assertThat(browser.getPageSource()).contains("404").doesNotContain(serial);

        // Alice's claim is intact: used by her device, listed for her.
        Claims.get(alice, claimId).statusCode(200).body("status", equalTo("USED"));
    }

    private static void signIn(String app, String user) {
        browser.get(app);
        await().until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(ClaimServiceEmulator.PASSWORD);
        browser.findElement(By.id("signIn")).click();
        await().until(ExpectedConditions.visibilityOfElementLocated(By.id("user-name")));
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText().strip();
    }

    private static WebDriverWait await() {
        return new WebDriverWait(browser, WAIT);
    }

    private static void shot(String name) throws IOException {
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(SHOTS.resolve(name + ".png"), png);
    }

    private static Path awaitDownload() throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try (var files = Files.list(downloads)) {
                List<Path> zips =
                        files.filter(p -> p.toString().endsWith(".zip")).toList();
                if (!zips.isEmpty()) {
                    return zips.get(0);
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no zip downloaded to " + downloads);
    }

    private static Map<String, byte[]> unzip(Path file) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        }
        return entries;
    }

    /** Chromium's pin format: base64 of the SHA-256 of the server certificate's SubjectPublicKeyInfo. */
    private static String serverKeyPin() throws Exception {
        try (InputStream in =
                Files.newInputStream(new File(Tokens.config("fleetprov-test.https-cert-file")).toPath())) {
            X509Certificate cert =
                    (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            byte[] spki = cert.getPublicKey().getEncoded();
            return Base64.getEncoder()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
        }
    }
}
