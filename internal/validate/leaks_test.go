package validate

import (
	"reflect"
	"testing"

	"github.com/kpgen/kpgen/internal/render"
)

// The leak check runs over every Secret, a List's items included, with the
// cluster's policy.
func TestFilesPolicyLeakCheck(t *testing.T) {
	files := []render.File{
		{Path: "manifests/a-secretList.yaml", JSON: []byte(`{"apiVersion":"v1","kind":"SecretList","items":[
			{"apiVersion":"v1","kind":"Secret","metadata":{"name":"ok","namespace":"monitoring"},"stringData":{"x":"password_file: /etc/pw"}},
			{"apiVersion":"v1","kind":"Secret","metadata":{"name":"pd","namespace":"monitoring"},"stringData":{"am.yaml":"routing_key: 0123abcd"}}]}`)},
	}
	msgs := func(r Report) []string {
		var s []string
		for _, p := range r.Problems {
			s = append(s, p.File+": "+p.Object)
		}
		return s
	}
	if got, want := msgs(FilesMemo(files, nil)), []string{"manifests/a-secretList.yaml: Secret monitoring/pd"}; !reflect.DeepEqual(got, want) {
		t.Errorf("no policy: %q, want %q", got, want)
	}
	allowed := FilesPolicy(files, nil, Policy{Cluster: "prod", AllowPlaintext: map[string]string{"monitoring/pd": "a test key"}})
	if len(allowed.Problems) != 0 {
		t.Errorf("allowed: %v", allowed.Problems)
	}
}
