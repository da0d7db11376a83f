package validate

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"sort"
	"strings"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"
	"sigs.k8s.io/yaml"

	"github.com/kpgen/kpgen/internal/manifest"
)

var (
	promqlParser = parser.NewParser(parser.Options{})
	quietLogger  = slog.New(slog.DiscardHandler)
	// rulefmt prefixes messages with positions in the YAML we hand it, which
	// mean nothing to the user: we name the group and rule instead.
	yamlPos  = regexp.MustCompile(`^(\d+:\d+: )+`)
	yamlLine = regexp.MustCompile(`(?m)^\s*line \d+: `)
)

type ruleID struct {
	Alert  string            `json:"alert"`
	Record string            `json:"record"`
	Expr   any               `json:"expr"`
	Labels map[string]string `json:"labels"`
}

func (r ruleID) String() string {
	switch {
	case r.Alert != "":
		return fmt.Sprintf("alert %q", r.Alert)
	case r.Record != "":
		return fmt.Sprintf("record %q", r.Record)
	}
	return "rule without alert or record name"
}

type groupID struct {
	Name   string            `json:"name"`
	Labels map[string]string `json:"labels"`
	Rules  []ruleID          `json:"rules"`
}

// rules validates one PrometheusRule object: each group through rulefmt,
// normalised as prometheus-operator does before it validates, then promtool's
// duplicate-rule lint over the whole object.
func rules(o manifest.Object, st *Stats) (problems, warnings []Problem) {
	var obj struct {
		Spec struct {
			Groups []json.RawMessage `json:"groups"`
		} `json:"spec"`
	}
	if err := json.Unmarshal(o.JSON, &obj); err != nil {
		return []Problem{{Msg: "spec.groups: " + err.Error()}}, nil
	}
	var (
		names   = map[string]bool{}
		first   = map[string]ruleID{} // dupKey → first rule with it
		similar = map[string]int{}    // dupKey → rules sharing it with other expressions
		order   []string
		where   = map[string]Problem{}
	)
	for i, raw := range obj.Spec.Groups {
		var g groupID
		if err := json.Unmarshal(raw, &g); err != nil {
			problems = append(problems, Problem{Msg: fmt.Sprintf("spec.groups[%d]: %v", i, err)})
			continue
		}
		st.Groups++
		if names[g.Name] && g.Name != "" {
			problems = append(problems, Problem{Group: g.Name, Msg: "group name is repeated in the same PrometheusRule"})
		}
		names[g.Name] = true
		for _, r := range g.Rules {
			if r.Alert != "" {
				st.Alerts++
			} else {
				st.Records++
			}
			k := dupKey(r, g.Labels)
			prev, dup := first[k]
			switch {
			case !dup:
				first[k] = r
			case fmt.Sprint(prev.Expr) == fmt.Sprint(r.Expr):
				problems = append(problems, Problem{Group: g.Name, Rule: r.String(), Msg: "duplicate rule: a rule with the same name, labels and expression is already in this PrometheusRule"})
			default:
				// Legitimate when each expression selects different series
				// (upstream's apiserver availability rules do this); promtool's
				// duplicate-rules lint warns about it.
				if similar[k] == 0 {
					order = append(order, k)
					where[k] = Problem{Group: g.Name, Rule: r.String()}
				}
				similar[k]++
			}
		}
		problems = append(problems, parseGroup(raw, g)...)
	}
	for _, k := range order {
		w := where[k]
		w.Msg = fmt.Sprintf("%d rules share this name and labels, with different expressions (promtool's duplicate-rules lint)", similar[k]+1)
		warnings = append(warnings, w)
	}
	return problems, warnings
}

// parseGroup runs rulefmt on one group.
func parseGroup(raw json.RawMessage, g groupID) []Problem {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return []Problem{{Group: g.Name, Msg: err.Error()}}
	}
	// prometheus-operator drops the Thanos-only field and empty intervals
	// before it hands the groups to rulefmt.
	delete(m, "partial_response_strategy")
	if iv, ok := m["interval"]; ok && iv == "" {
		delete(m, "interval")
	}
	// A duration that does not parse stops rulefmt decoding the whole group,
	// so it could not say which rule: say it here.
	if problems := durations(m, g); len(problems) > 0 {
		return problems
	}
	normalised, err := json.Marshal(map[string]any{"groups": []any{m}})
	if err != nil {
		return []Problem{{Group: g.Name, Msg: err.Error()}}
	}
	y, err := yaml.JSONToYAML(normalised)
	if err != nil {
		return []Problem{{Group: g.Name, Msg: err.Error()}}
	}
	_, errs := rulefmt.Parse(y, false, model.UTF8Validation, promqlParser, quietLogger)
	var problems []Problem
	seen := map[Problem]bool{} // rulefmt can report a decoding error twice
	for _, err := range errs {
		p := Problem{Group: g.Name, Msg: err.Error()}
		var re *rulefmt.Error
		if errors.As(err, &re) {
			if re.Rule >= 1 && re.Rule <= len(g.Rules) {
				p.Rule = g.Rules[re.Rule-1].String()
			} else {
				p.Rule = fmt.Sprintf("rule %d", re.Rule)
			}
			if inner := errors.Unwrap(errors.Unwrap(re)); inner != nil {
				p.Msg = inner.Error()
			}
		}
		p.Msg = strings.TrimPrefix(yamlPos.ReplaceAllString(p.Msg, ""), "yaml: unmarshal errors:\n")
		p.Msg = strings.TrimSpace(yamlLine.ReplaceAllString(p.Msg, ""))
		if !seen[p] {
			seen[p] = true
			problems = append(problems, p)
		}
	}
	return problems
}

// durations checks each rule's `for` and `keep_firing_for`, as rulefmt
// would decode them.
func durations(group map[string]any, g groupID) []Problem {
	rules, _ := group["rules"].([]any)
	var problems []Problem
	for i, r := range rules {
		rule, _ := r.(map[string]any)
		for _, field := range []string{"for", "keep_firing_for"} {
			v, ok := rule[field]
			if !ok {
				continue
			}
			p := Problem{Group: g.Name, Rule: fmt.Sprintf("rule %d", i+1)}
			if i < len(g.Rules) {
				p.Rule = g.Rules[i].String()
			}
			if s, isString := v.(string); !isString {
				p.Msg = fmt.Sprintf("%s: want a duration string, got %v", field, v)
			} else if _, err := model.ParseDuration(s); err != nil {
				p.Msg = fmt.Sprintf("%s: %v", field, err)
			} else {
				continue
			}
			problems = append(problems, p)
		}
	}
	return problems
}

// dupKey is promtool's notion of rule identity: its name and its labels
// (group labels overlaid by the rule's).
func dupKey(r ruleID, groupLabels map[string]string) string {
	labels := map[string]string{}
	for k, v := range groupLabels {
		labels[k] = v
	}
	for k, v := range r.Labels {
		labels[k] = v
	}
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(r.Alert + "\x00" + r.Record)
	for _, k := range keys {
		b.WriteString("\x00" + k + "=" + labels[k])
	}
	return b.String()
}
