package alertmanager

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/prometheus/alertmanager/config"
	"github.com/prometheus/alertmanager/pkg/labels"
)

// paths names the places of a configuration: vars keys when it was
// rendered from vars (source), paths in alertmanager.yaml otherwise.
type paths struct{ source string }

// key is path + "." + k, or path + `["k"]` for keys that would read
// ambiguously (as the library names vars keys).
func key(path, k string) string {
	if k != "" && strings.Trim(k, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == "" {
		return path + "." + k
	}
	return path + "[" + strconv.Quote(k) + "]"
}

func (p paths) root() string {
	if p.source != "" {
		return p.source + ".route"
	}
	return "route"
}

// child is the path of the i-th child of the route at parent (depth 0: the root).
func (p paths) child(parent string, depth, i int) string {
	if p.source != "" && depth == 0 {
		switch {
		case i == 0:
			return p.source + ".watchdog"
		case i < LibraryRoutes:
			return fmt.Sprintf("route.routes[%d] (kpgen's)", i)
		default:
			i -= LibraryRoutes
		}
	}
	return fmt.Sprintf("%s.routes[%d]", parent, i)
}

func (p paths) receiver(name string, i int) string {
	if p.source != "" {
		return key(p.source+".receivers", name)
	}
	return fmt.Sprintf("receivers[%d] (%q)", i, name)
}

// lint finds what the loader accepts but cannot be meant: receivers no
// route uses, child routes after a sibling that takes every alert, and
// routes whose matchers contradict their own or their ancestors'.
func lint(cfg *config.Config, p paths) []Problem {
	var problems []Problem
	used := map[string]bool{}
	var walk func(r *config.Route, path string, depth int, inherited labels.Matchers)
	walk = func(r *config.Route, path string, depth int, inherited labels.Matchers) {
		if r.Receiver != "" {
			used[r.Receiver] = true
		}
		own := r.AllMatchers()
		if msg := contradiction(own, inherited); msg != "" {
			problems = append(problems, Problem{Field: path, Msg: "can never match: " + msg})
		}
		all := append(append(labels.Matchers{}, inherited...), own...)
		catchAll := -1
		for i, c := range r.Routes {
			cp := p.child(path, depth, i)
			if catchAll >= 0 {
				problems = append(problems, Problem{Field: cp, Msg: fmt.Sprintf(
					"can never match: %s before it takes every alert that reaches it (no matchers, no continue)",
					p.child(path, depth, catchAll))})
			}
			walk(c, cp, depth+1, all)
			if catchAll < 0 && len(c.AllMatchers()) == 0 && !c.Continue {
				catchAll = i
			}
		}
	}
	walk(cfg.Route, p.root(), 0, nil)
	for i, r := range cfg.Receivers {
		if !used[r.Name] {
			problems = append(problems, Problem{Field: p.receiver(r.Name, i), Msg: fmt.Sprintf("receiver %q is used by no route", r.Name)})
		}
	}
	return problems
}

// contradiction says why no alert can satisfy both the route's own
// matchers and those it inherits ("" when one can): an equality matcher
// on a label that another matcher on that label refuses.
func contradiction(own, inherited labels.Matchers) string {
	for _, m := range own {
		if m.Type != labels.MatchEqual {
			continue
		}
		for _, other := range append(append(labels.Matchers{}, inherited...), own...) {
			if other == m || other.Name != m.Name || other.Matches(m.Value) {
				continue
			}
			whose := "its own"
			for _, in := range inherited {
				if in == other {
					whose = "a parent route's"
				}
			}
			return fmt.Sprintf("matcher %s contradicts %s %s", m, whose, other)
		}
	}
	return ""
}
