package spec

import "strings"

// decodeSequenceProperties: a read operation's SequenceProperty is the property of its
// answer that another operation of the same resource sends as a sequence number
// (x-flow-sequence on that operation's body property of the same name).
func (d *Document) decodeSequenceProperties() {
	for _, read := range d.Operations {
		if read.Action != ActionRead || read.Resource == "" {
			continue
		}
		answer := read.SuccessSchema()
		if answer == nil {
			continue
		}
		for _, o := range d.Operations {
			name := sequenceBodyProperty(o)
			if o.Resource != read.Resource || name == "" || answer.Properties[name] == nil {
				continue
			}
			read.SequenceProperty = name
			kind := Declared
			for _, f := range FactsNamed(o.Facts, FactSequenceBody) {
				if strings.HasPrefix(f.Value, name+":") {
					kind = f.Kind
				}
			}
			read.addFact(FactSequence, name, kind, ExtSequence+" on "+o.String()+" body property "+name)
			break
		}
	}
}

// sequenceBodyProperty: the operation's body property marked x-flow-sequence, or "".
func sequenceBodyProperty(o *Operation) string {
	body := o.BodySchema()
	if body == nil {
		return ""
	}
	for _, name := range sortedProps(body) {
		if p := body.Properties[name].Value; p != nil {
			if v, _ := p.Extensions[ExtSequence].(string); v != "" {
				return name
			}
		}
	}
	return ""
}
