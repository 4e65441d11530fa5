package io.fleetprov.emulator.cognito.hostedui;

/**
 * The hosted UI's HTML: plain forms with labels, no script and no style, so that a {@code default-src 'none'}
 * Content-Security-Policy holds. Element ids are stable for browser tests: {@code username}, {@code password},
 * {@code signIn}; {@code newPassword}, {@code confirmPassword}, {@code setPassword}; {@code error}.
 */
final class HostedUiPages {

    private HostedUiPages() {}

    /** @param error nullable; @param username nullable, pre-filled after a failed attempt */
    static String signIn(String action, String csrf, String clientName, String username, String error) {
        return page(
                "Sign in",
                "<h1>Sign in</h1>\n<p>to " + escape(clientName) + "</p>\n" + errorParagraph(error)
                        + "<form method=\"post\" action=\"" + escape(action) + "\">\n"
                        + hidden("_csrf", csrf)
                        + "<p><label for=\"username\">Username</label>\n"
                        + "<input id=\"username\" name=\"username\" type=\"text\" autocomplete=\"username\""
                        + " autocapitalize=\"none\" required value=\"" + escape(username == null ? "" : username)
                        + "\"></p>\n"
                        + "<p><label for=\"password\">Password</label>\n"
                        + "<input id=\"password\" name=\"password\" type=\"password\""
                        + " autocomplete=\"current-password\" required></p>\n"
                        + "<p><button id=\"signIn\" type=\"submit\">Sign in</button></p>\n"
                        + "</form>\n");
    }

    static String newPassword(String action, String csrf, String session, String username, String error) {
        return page(
                "Change password",
                "<h1>Change password</h1>\n<p>Please enter a new password for " + escape(username) + ".</p>\n"
                        + errorParagraph(error)
                        + "<form method=\"post\" action=\"" + escape(action) + "\">\n"
                        + hidden("_csrf", csrf)
                        + hidden("session", session)
                        + hidden("username", username)
                        + "<p><label for=\"newPassword\">New password</label>\n"
                        + "<input id=\"newPassword\" name=\"newPassword\" type=\"password\""
                        + " autocomplete=\"new-password\" required></p>\n"
                        + "<p><label for=\"confirmPassword\">Enter new password again</label>\n"
                        + "<input id=\"confirmPassword\" name=\"confirmPassword\" type=\"password\""
                        + " autocomplete=\"new-password\" required></p>\n"
                        + "<p><button id=\"setPassword\" type=\"submit\">Send</button></p>\n"
                        + "</form>\n");
    }

    static String error(String error, String description) {
        return page(
                "Error",
                "<h1>An error was encountered with the requested page.</h1>\n"
                        + "<p id=\"error\">" + escape(error) + "</p>\n"
                        + "<p>" + escape(description) + "</p>\n");
    }

    private static String errorParagraph(String error) {
        return error == null ? "" : "<p id=\"error\" role=\"alert\">" + escape(error) + "</p>\n";
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + escape(value) + "\">\n";
    }

    private static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + escape(title) + "</title>\n</head>\n<body>\n<main>\n" + body
                + "</main>\n</body>\n</html>\n";
    }

    /** Escapes for text and for double-quoted attribute values alike. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
