package main

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/flowconform/flowconform/conformance"
	"github.com/flowconform/flowconform/target"
)

// errConfig marks a reachability error that is the description's doing: exit 2, not 3.
var errConfig = errors.New("configuration")

// plainHTTPToTLS: an http:// target whose port answers a plain request badly or not at all,
// and completes a TLS handshake, is a TLS port given the wrong scheme.
func plainHTTPToTLS(d *target.Description, status int, err error) error {
	u, perr := url.Parse(d.Target)
	if perr != nil || u.Scheme != "http" || (err == nil && status != http.StatusBadRequest) {
		return nil
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "80")
	}
	dialer := &net.Dialer{Timeout: min(d.RequestTimeout(), 5*time.Second)}
	conn, derr := tls.DialWithDialer(dialer, "tcp", host, &tls.Config{InsecureSkipVerify: true}) //nolint:gosec // only asks whether the port speaks TLS
	if derr != nil {
		return nil
	}
	conn.Close()
	https := "https://" + strings.TrimPrefix(d.Target, "http://")
	return fmt.Errorf("%w: target %s: that port speaks TLS; use %s (--target, FLOWCONFORM_TARGET or target:)", errConfig, d.Target, https)
}

// needsDescription: a --target with no description and no account in the environment says
// what a run needs, rather than only the first missing key.
func needsDescription(o conformance.Options, base *target.Description) error {
	if base != nil || o.ConfigFile != "" || os.Getenv("FLOWCONFORM_USERNAME") != "" {
		return nil
	}
	return fmt.Errorf("checking %s needs an Admin account of it: give --config FILE (flowconform init --target URL "+
		"writes one; docs/description.md has every key), or set FLOWCONFORM_USERNAME and FLOWCONFORM_PASSWORD", targetOf(o))
}

func targetOf(o conformance.Options) string {
	if o.Target != "" {
		return o.Target
	}
	return os.Getenv("FLOWCONFORM_TARGET")
}
