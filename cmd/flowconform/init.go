package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/flowconform/flowconform/target"
)

// schemaFile is the name init gives the schema it writes beside a description, so that
// editors check the description with no network.
const schemaFile = "flowconform-description.schema.json"

// runInit writes a starter target description: the target, an Admin account whose password
// comes from $FLOW_PASSWORD, and every optional key commented out with what it enables.
func runInit(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("flowconform init", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	url := fs.String("target", "", "URL of the FLOW server (required)")
	user := fs.String("username", "admin", "the Admin account the checks use")
	out := fs.String("out", "", "file to write (default: standard output); never overwritten")
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(stdout, "usage: flowconform init --target URL [--username NAME] [--out FILE]")
		return 0
	}
	if err == nil && *url == "" {
		err = errors.New("--target URL is required")
	}
	if err != nil {
		fmt.Fprintf(stderr, "flowconform init: %v\n", withFlagSuggestion(err, fs))
		return 2
	}
	if *out == "" {
		fmt.Fprint(stdout, starter(*url, *user, ""))
		return 0
	}
	if err := writeStarter(*out, *url, *user); err != nil {
		fmt.Fprintf(stderr, "flowconform init: %v\n", err)
		return 2
	}
	fmt.Fprintf(stdout, "wrote %s (and %s beside it, for editors); set FLOW_PASSWORD, then:\n  flowconform --config %s\n",
		*out, schemaFile, *out)
	return 0
}

func writeStarter(out, url, user string) error {
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(starter(url, user, schemaFile)); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	schema := filepath.Join(filepath.Dir(out), schemaFile)
	if _, err := os.Stat(schema); err == nil {
		return nil // one written before, or the user's own
	}
	return os.WriteFile(schema, target.SchemaJSON, 0o644)
}

func starter(url, user, schema string) string {
	var b strings.Builder
	if schema != "" {
		fmt.Fprintf(&b, "# yaml-language-server: $schema=%s\n", schema)
	}
	fmt.Fprintf(&b, `# Target description written by flowconform init; docs/description.md documents every key.
target: %s
# api_version: 1.14.0        # the Accept-Version to send; what the server's /block_info reports
auth:                         # an Admin account: the core checks need one
  username: %s
  password_env: FLOW_PASSWORD # the password stays in the environment, never in this file
# limits:
#   max_body_bytes: 64KiB     # the largest body the server accepts, if not the document's
# timeouts:
#   request: 10s
#   run: 5m
# fixtures:                   # each key enables one condition that needs set-up; without it
#                             # that condition is reported as skipped, naming the key.
#                             # Accounts and ids must already exist on the server.
#   viewer: {username: viewer, password_env: FLOW_VIEWER_PASSWORD}          # 403 forbidden
#   account_disabled: {username: disabled, password_env: FLOW_DISABLED_PASSWORD} # 403 account_disabled
#   session_expired: {username: ephemeral, password_env: FLOW_EPHEMERAL_PASSWORD, lifetime: 20ms} # 401 session_expired
#   rate_limit: {username: quota, password_env: FLOW_QUOTA_PASSWORD, burst: 5, refill: 10s} # 429
#   analytics_data_loading: {cube_id: 9001, analytic_id: 9002, sink_id: 9003} # 501 analytics_data_loading
#   not_implemented_yet: {operation: exportAnalytic}                       # 501 not_implemented_yet
#   conflict: {cube_id: 9001, analytic_id: 9004, window: 2s}              # 409 conflict
#   internal_error: {method: GET, path: /block_info, headers: {X-Fault: internal_error}} # 500
`, yamlString(url), yamlString(user))
	return b.String()
}

// yamlString quotes a value: a JSON string is a YAML string, whatever it holds.
func yamlString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
