package target

import "encoding/json"

// credentials lists every account of a description, so that Secrets and Redacted cannot
// disagree about which fields hold a secret.
func (d *Description) credentials() []*Credentials {
	out := []*Credentials{&d.Auth}
	f := &d.Fixtures
	if f.Viewer != nil {
		out = append(out, &f.Viewer.Credentials)
	}
	if f.AccountDisabled != nil {
		out = append(out, f.AccountDisabled)
	}
	if f.SessionExpired != nil {
		out = append(out, &f.SessionExpired.Credentials)
	}
	if f.RateLimit != nil {
		out = append(out, &f.RateLimit.Credentials)
	}
	return out
}

// Secrets lists every password and token the description holds, for redaction.
func (d *Description) Secrets() []string {
	var out []string
	for _, c := range d.credentials() {
		if s := c.Secret(); s != "" {
			out = append(out, s)
		}
	}
	if s := d.Fixtures.SessionExpired; s != nil && s.ExpiredToken() != "" {
		out = append(out, s.ExpiredToken())
	}
	return out
}

// WithPlaceholderSecrets gives every account without a password one that is never sent,
// for what only plans (a listing needs no password).
func (d *Description) WithPlaceholderSecrets() {
	for _, c := range d.credentials() {
		if c.Secret() == "" {
			c.Password, c.PasswordEnv = "(not needed to list)", ""
		}
	}
	if d.Auth.Username == "" {
		d.Auth.Username = "(not needed to list)"
	}
}

// Redacted returns a copy safe to print or write: passwords and tokens replaced.
func (d *Description) Redacted() *Description {
	b, _ := json.Marshal(d)
	var c Description
	_ = json.Unmarshal(b, &c)
	hide := func(s *string) {
		if *s != "" {
			*s = "<redacted>"
		}
	}
	for _, cr := range c.credentials() {
		hide(&cr.Password)
	}
	if c.Fixtures.SessionExpired != nil {
		hide(&c.Fixtures.SessionExpired.Token)
	}
	return &c
}
