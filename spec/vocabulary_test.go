package spec

import (
	"strings"
	"testing"
)

// The embedded document's login, roles and sequence property are read from its schemas and
// extensions, each with the fact that says why.
func TestEmbeddedLoginIsReadFromTheLoginOperationsSchemas(t *testing.T) {
	d, err := LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	if d.Login == nil {
		t.Fatal("no login")
	}
	got := []string{d.Login.Op.String(), d.Login.Username, d.Login.Password, d.Login.Token}
	want := []string{"POST /users/auth", "username", "password", "/access_tokens/0"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("login = %v, want %v", got, want)
	}
	if f := FactsNamed(d.Facts, FactLogin); len(f) != 1 || f[0].Kind != Declared || f[0].From != "x-flow-action" {
		t.Errorf("login facts = %+v", f)
	}
	if f := FactsNamed(d.Login.Op.Facts, FactLoginPassword); len(f) != 1 || f[0].Kind != Inferred || !strings.Contains(f[0].From, "format: password") {
		t.Errorf("password facts = %+v", f)
	}
}

func TestEmbeddedRolesAndSequencePropertyAreDeclared(t *testing.T) {
	d, err := LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(d.Roles, ","); got != "Admin,Analyst" {
		t.Errorf("roles = %s, want Admin,Analyst (the roles x-flow-roles names)", got)
	}
	seq := map[string]string{}
	for _, o := range d.Operations {
		if o.SequenceProperty != "" {
			seq[o.ID] = o.SequenceProperty
		}
	}
	if len(seq) != 1 || seq["getAnalytic"] != "sequence_number" {
		t.Errorf("sequence properties = %v, want getAnalytic: sequence_number", seq)
	}
	sink := d.Operation("getSink")
	if sink.ParamKinds["cube_id"] != "cube" || sink.ParamKinds["analytic_id"] != "analytic" || sink.ParamKinds["sink_id"] != "sink" {
		t.Errorf("getSink param kinds = %v", sink.ParamKinds)
	}
}

// Every decoded x-flow-* fact of an operation is recorded, declared, naming its key.
func TestEveryDeclaredOperationFactNamesItsExtension(t *testing.T) {
	d, err := LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	create := d.Operation("createSink")
	want := map[string]string{FactAction: "create", FactResource: "sink", FactKey: "id", FactIDPool: "analytic-children", FactRoles: "Admin, Analyst"}
	for name, value := range want {
		f := FactsNamed(create.Facts, name)
		if len(f) != 1 || f[0].Value != value || f[0].Kind != Declared || !strings.HasPrefix(f[0].From, "x-flow-") {
			t.Errorf("%s: facts %+v, want one declared %q", name, f, value)
		}
	}
	for _, o := range d.Operations {
		if len(FactsNamed(o.Facts, FactErrors)) != 1 {
			t.Errorf("%s: no errors fact", o)
		}
	}
	update := d.Operation("updateAnalytic")
	for name, want := range map[string]string{
		FactPathParam:    "cube_id = {cube_id}, id = {analytic_id}",
		FactSequenceBody: "sequence_number: next",
		FactTypeReason:   "sequence_number: sequence_number_format_error",
	} {
		var got []string
		for _, f := range FactsNamed(update.Facts, name) {
			if f.Kind == Declared && strings.HasPrefix(f.From, "x-flow-") {
				got = append(got, f.Value)
			}
		}
		if strings.Join(got, ", ") != want {
			t.Errorf("updateAnalytic %s: declared %v, want %s", name, got, want)
		}
	}
}

// A login operation whose schemas do not say where the credentials go is a one-line error
// naming the operation.
func TestLoginWithoutAPasswordPropertyIsAnErrorNamingIt(t *testing.T) {
	doc := strings.Replace(string(Embedded()), "        password:\n          type: string\n          format: password\n          minLength: 1\n",
		"        passcode:\n          type: string\n          minLength: 1\n", 1)
	doc = strings.Replace(doc, "required: [username, password]", "required: [username, passcode]", 1)
	if doc == string(Embedded()) {
		t.Fatal("the edit changed nothing")
	}
	_, err := Load([]byte(doc))
	if err == nil || !strings.Contains(err.Error(), "POST /users/auth (the login)") || strings.Contains(err.Error(), "\n") {
		t.Errorf("err = %v", err)
	}
}

// The embedded document declares everything inference could find, but where the login's
// credentials and token are: inference adds nothing else to it.
func TestEmbeddedDocumentNeedsNoInferenceButTheLogins(t *testing.T) {
	d, err := LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range d.Operations {
		for _, f := range o.Facts {
			if f.Kind != Declared && !strings.HasPrefix(f.Name, "login ") {
				t.Errorf("%s: %+v", o, f)
			}
		}
	}
}
