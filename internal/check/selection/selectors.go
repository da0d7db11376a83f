package selection

import (
	"fmt"
	"sort"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// matches evaluates s on l with Kubernetes' own selector code: a nil
// selector matches nothing here (callers give nil its meaning first), an
// empty one everything.
func matches(s *metav1.LabelSelector, l map[string]string) (bool, error) {
	if s == nil {
		return false, nil
	}
	sel, err := metav1.LabelSelectorAsSelector(s)
	if err != nil {
		return false, err
	}
	return sel.Matches(labels.Set(l)), nil
}

// format writes a selector as the messages show it:
// {matchLabels: {team: x}, matchExpressions: [{key: k, operator: In, values: [a]}]}.
func format(s *metav1.LabelSelector) string {
	if s == nil {
		return "absent"
	}
	var parts []string
	if len(s.MatchLabels) > 0 {
		parts = append(parts, "matchLabels: "+formatLabels(s.MatchLabels))
	}
	if len(s.MatchExpressions) > 0 {
		var es []string
		for _, e := range s.MatchExpressions {
			x := fmt.Sprintf("{key: %s, operator: %s", e.Key, e.Operator)
			if len(e.Values) > 0 {
				x += ", values: [" + strings.Join(e.Values, ", ") + "]"
			}
			es = append(es, x+"}")
		}
		parts = append(parts, "matchExpressions: ["+strings.Join(es, ", ")+"]")
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func formatLabels(l map[string]string) string {
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		keys[i] = k + ": " + l[k]
	}
	return "{" + strings.Join(keys, ", ") + "}"
}
