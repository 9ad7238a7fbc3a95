// Keeps the visitor's theme for a year, for every page of the portal (those rendered on the server read it too).
export function rememberTheme(name, value) {
    document.cookie = `${name}=${value}; path=/; max-age=31536000; samesite=lax`;
}

// The system's preference, for a visitor who has not chosen.
export function prefersDark() {
    return window.matchMedia("(prefers-color-scheme: dark)").matches;
}
