package main

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// negativeControl is the shell of docs/ci.md's negative-control step, on a free port.
func negativeControl(t *testing.T) (script, port string) {
	t.Helper()
	doc, err := os.ReadFile("../../docs/ci.md")
	if err != nil {
		t.Fatal(err)
	}
	_, step, ok := strings.Cut(string(doc), "- name: The pipeline notices a broken rule\n        run: |\n")
	step, _, _ = strings.Cut(step, "```")
	if !ok || !strings.Contains(step, "jq -e") {
		t.Fatal("docs/ci.md has no negative-control step")
	}
	var lines []string
	for _, l := range strings.Split(step, "\n") {
		lines = append(lines, strings.TrimPrefix(l, "          "))
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ = net.SplitHostPort(ln.Addr().String())
	ln.Close()
	return strings.ReplaceAll(strings.Join(lines, "\n"), "127.0.0.1:8081", "127.0.0.1:"+port), port
}

// runShell runs a script as a CI step does (errexit), with this build first on PATH; the
// servers it starts in the background are stopped with it.
func runShell(t *testing.T, script string) (int, string) {
	t.Helper()
	sh := needTool(t, "sh", "dash")
	needTool(t, "jq", "jq")
	needTool(t, "curl", "curl")
	cmd := exec.Command(sh, "-ec", script)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(binary)+string(os.PathListSeparator)+os.Getenv("PATH"))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// A file, not a pipe: the background server keeps its output open after the script ends.
	log, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(2*time.Minute, func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	_ = cmd.Wait()
	timer.Stop()
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // the background server
	out, _ := os.ReadFile(log.Name())
	return cmd.ProcessState.ExitCode(), string(out)
}

// docs/ci.md's negative control passes against the broken server it starts, and fails when
// the server is not broken: it tells a failed check from a passed one of the same name.
func TestCIDocsNegativeControlTellsFailedFromPassed(t *testing.T) {
	script, _ := negativeControl(t)
	if code, out := runShell(t, script); code != 0 {
		t.Fatalf("the negative control against the broken server: exit %d\n%s", code, tail(out, 2000))
	}
	script, _ = negativeControl(t)
	conformant := strings.Replace(script, " --break 401:session_expired:not-enforced@deleteCube", "", 1)
	if conformant == script {
		t.Fatal("the step has no --break to take out")
	}
	if code, out := runShell(t, conformant); code == 0 {
		t.Fatalf("the negative control passed against a conformant server\n%s", tail(out, 2000))
	}
}

// docs/ci.md's wait for the server fails when nothing comes up.
func TestCIDocsServerWaitFails(t *testing.T) {
	_, port := negativeControl(t)
	wait := "timeout 1 sh -c 'until curl -s -o /dev/null http://127.0.0.1:" + port + "/; do sleep 0.2; done'"
	doc, _ := os.ReadFile("../../docs/ci.md")
	if !strings.Contains(string(doc), strings.NewReplacer("timeout 1", "timeout 30", ":"+port, ":8080").Replace(wait)) {
		t.Fatal("docs/ci.md does not wait for the server this way any more")
	}
	if code, out := runShell(t, wait); code == 0 {
		t.Fatalf("the wait succeeded with no server\n%s", out)
	}
}
