package spec

import (
	"net/http"
	"strings"
)

// Inference from the shape of paths (docs/inference.md): what an operation does, to which
// kind of resource, and which kind each path parameter names. A declared x-flow-* key wins.

func segments(path string) []string { return strings.Split(strings.Trim(path, "/"), "/") }

func isParam(seg string) bool { return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") }

func paramName(seg string) string { return strings.TrimSuffix(strings.TrimPrefix(seg, "{"), "}") }

// singular is the rule that names a kind after its collection segment: cities → city,
// boxes → box (after s, x, z, ch, sh), items → item; a word without a trailing s stays.
func singular(word string) string {
	switch {
	case strings.HasSuffix(word, "ies") && len(word) > 3:
		return word[:len(word)-3] + "y"
	case strings.HasSuffix(word, "sses"), strings.HasSuffix(word, "xes"), strings.HasSuffix(word, "zes"),
		strings.HasSuffix(word, "ches"), strings.HasSuffix(word, "shes"):
		return word[:len(word)-2]
	case strings.HasSuffix(word, "ss"):
		return word
	case strings.HasSuffix(word, "s") && len(word) > 1:
		return word[:len(word)-1]
	}
	return word
}

// hasOp reports whether the document has an operation with that method on that path.
func (d *Document) hasOp(method, path string) bool { return d.OperationAt(method, path) != nil }

// itemPath returns the path template of one element of the collection at path ("" when none):
// path followed by one path parameter.
func (d *Document) itemPath(path string) string {
	for _, o := range d.Operations {
		rest, ok := strings.CutPrefix(o.Path, path+"/")
		if ok && !strings.Contains(rest, "/") && isParam(rest) {
			return o.Path
		}
	}
	return ""
}

// inferAction: the action from the method and the path's shape; "" when neither says.
func (d *Document) inferAction(o *Operation) (string, string) {
	if o.Method == http.MethodPost && o.Public && isLoginShaped(o) {
		return ActionLogin, "a public POST whose body has a password and a name, and whose answer a token"
	}
	segs := segments(o.Path)
	last := segs[len(segs)-1]
	if isParam(last) {
		switch o.Method {
		case http.MethodGet:
			return ActionRead, "GET on an element path (ends in a parameter)"
		case http.MethodPut, http.MethodPatch:
			return ActionUpdate, o.Method + " on an element path (ends in a parameter)"
		case http.MethodDelete:
			return ActionDelete, "DELETE on an element path (ends in a parameter)"
		}
		return "", ""
	}
	switch o.Method {
	case http.MethodGet:
		if d.hasOp(http.MethodPost, o.Path) {
			return ActionList, "GET on a collection path (the path also takes POST)"
		}
		return ActionRead, "GET on a path that takes no POST and ends in no parameter"
	case http.MethodPost:
		if d.hasOp(http.MethodGet, o.Path) || d.itemPath(o.Path) != "" {
			return ActionCreate, "POST on a collection path (it also takes GET, or has an element path)"
		}
		if len(segs) >= 2 && isParam(segs[len(segs)-2]) {
			return last, "POST on a word after an element path"
		}
	}
	return "", ""
}

// inferResource: the kind the operation acts on, from its path; "" for a path of no kind.
func (o *Operation) inferResource() (string, string) {
	segs := segments(o.Path)
	last := segs[len(segs)-1]
	switch {
	case isParam(last):
		if kind := o.ParamKinds[paramName(last)]; kind != "" {
			return kind, "the kind of the last path parameter " + last
		}
	case o.Action == ActionList || o.Action == ActionCreate:
		return singular(last), "the collection segment " + last + ", made singular"
	case len(segs) >= 2 && isParam(segs[len(segs)-2]):
		if kind := o.ParamKinds[paramName(segs[len(segs)-2])]; kind != "" {
			return kind, "the kind of the path parameter " + segs[len(segs)-2] + " it acts on"
		}
	}
	return "", ""
}

// inferParamKinds: a path parameter after a literal segment names an element of that
// collection: /boxes/{box_id} → box.
func (o *Operation) inferParamKinds() {
	segs := segments(o.Path)
	for i, seg := range segs {
		name := paramName(seg)
		if !isParam(seg) || i == 0 || isParam(segs[i-1]) || o.ParamKinds[name] != "" {
			continue
		}
		if o.ParamKinds == nil {
			o.ParamKinds = map[string]string{}
		}
		o.ParamKinds[name] = singular(segs[i-1])
		o.addFact(FactParamKind, name+" → "+o.ParamKinds[name], Inferred, "the path segment "+segs[i-1]+" before "+seg+", made singular")
	}
}
