package target

import "testing"

// FLOWCONFORM_PASSWORD outranks the file, and so the variable password_env names in it too.
func TestEnvironmentPasswordOutranksPasswordEnv(t *testing.T) {
	t.Setenv("FLOWCONFORM_TEST_FILE_PASSWORD", "from-password-env")
	d := &Description{Auth: Credentials{Username: "a", Password: "from-file", PasswordEnv: "FLOWCONFORM_TEST_FILE_PASSWORD"}}
	d.Env(func(k string) string {
		if k == "FLOWCONFORM_PASSWORD" {
			return "from-environment"
		}
		return ""
	})
	if got := d.Auth.Secret(); got != "from-environment" {
		t.Errorf("Secret() = %q, want the FLOWCONFORM_PASSWORD value", got)
	}
}
