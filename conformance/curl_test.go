package conformance

import (
	"bytes"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// A reproduction's lines fit 120 columns however long the URL, a header or the body is, and
// the shell still gets every byte of each: run with a curl that prints its arguments, the
// command hands over exactly the URL, the header and the body that were sent.
func TestCurlLinesFitAndStillSendEveryByte(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh: cannot run the reproduction")
	}
	long := "http://127.0.0.1:1/cubes/" + strings.Repeat("9", 150) + "?q=" + strings.Repeat("it's ", 40)
	bodies := map[string][]byte{
		"inline, with quotes": []byte(`{"name":"` + strings.Repeat("o'k é ", 150) + `"}`),
		"through a file":      []byte(`{"name":"` + strings.Repeat("x'y", 700) + `"}`),
		"padded":              append(bytes.Repeat([]byte(" "), 200), `{"a":1}`...),
	}
	for what, body := range bodies {
		t.Run(what, func(t *testing.T) {
			ex := &Exchange{Method: http.MethodPost, URL: long, ReqBody: body,
				ReqHeader: http.Header{"X-Long": {strings.Repeat("v'w", 60)}}}
			cmd := (&Secrets{}).Curl(ex)
			for i, line := range strings.Split(cmd, "\n") {
				if n := utf8.RuneCountInString(line); n > lineWidth {
					t.Errorf("line %d is %d columns: %q", i+1, n, line)
				}
			}
			args, sent := runCurl(t, sh, cmd)
			for _, want := range []string{long, "X-Long: " + ex.ReqHeader.Get("X-Long")} {
				if !strings.Contains(args, "\x00"+want+"\x00") {
					t.Errorf("the command does not pass %q whole:\n%s", want, cmd)
				}
			}
			if !bytes.Equal(sent, body) {
				t.Errorf("the command sends %d bytes, want the %d sent:\n%s", len(sent), len(body), cmd)
			}
		})
	}
}

// runCurl runs a reproduction with curl replaced by a function that writes its arguments,
// NUL-separated, and returns them with the body --data-binary gives.
func runCurl(t *testing.T, sh, cmd string) (string, []byte) {
	t.Helper()
	dir := t.TempDir()
	fake := `curl() { printf '\0'; for a in "$@"; do printf '%s\0' "$a"; done; }` + "\n"
	c := exec.Command(sh, "-c", fake+cmd)
	c.Dir = dir
	out, err := c.Output()
	if err != nil {
		t.Fatalf("%v running:\n%s", err, cmd)
	}
	args := strings.Split(string(out), "\x00")
	for i, a := range args {
		if a != "--data-binary" || i+1 >= len(args) {
			continue
		}
		if file, ok := strings.CutPrefix(args[i+1], "@"); ok {
			body, err := os.ReadFile(filepath.Join(dir, file))
			if err != nil {
				t.Fatal(err)
			}
			return string(out), body
		}
		return string(out), []byte(args[i+1])
	}
	return string(out), nil
}
