package dev.upgradegate.gate;

/** Where the gate sends a request, decided once from its path and the cached state: see {@link WebappGate#route}. */
public enum Route {
    /** On to the webapp, untouched. */
    PASS,
    /** The maintenance page of the webapp's state, unless a bypass cookie lets the request through. */
    PAGE,
    /** The install endpoint and its wizard, under {@code install.path}. */
    INSTALL,
    /** The maintenance API and the bypass URL, under {@code install.path} and behind its address and HTTPS rules. */
    MAINTENANCE
}
