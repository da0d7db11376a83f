package leaks

import (
	"encoding/base64"
	"reflect"
	"strings"
	"testing"
)

func secret(file, ns, name, body string) Object {
	return Object{File: file, APIVersion: "v1", Kind: "Secret", Namespace: ns, Name: name, JSON: []byte(body)}
}

const advice = "in plaintext: the output is committed to git. Seal it (`kpgen seal --cluster prod`, then vars.sealedSecrets.secrets) or keep it in a Secret that exists in the cluster and reference that; if it is no credential, allow it: vars.secrets.allowPlaintext: { "

func TestCheck(t *testing.T) {
	slack := base64.StdEncoding.EncodeToString([]byte("https://hooks.slack.com/services/T0/B0/XXXX"))
	objs := []Object{
		secret("manifests/a-secret.yaml", "monitoring", "a", `{"data": {"url": "`+slack+`", "user": "`+base64.StdEncoding.EncodeToString([]byte("alice"))+`"}}`),
		secret("manifests/b-secret.yaml", "monitoring", "b", `{"stringData": {"grafana.ini": "[security]\nadmin_password = hunter2\n"}}`),
		secret("manifests/c-secret.yaml", "monitoring", "grafana-config", `{"stringData": {"grafana.ini": "[security]\nadmin_password = hunter2\n"}}`),
		// Not Secrets: not looked at.
		{File: "manifests/d.yaml", APIVersion: "bitnami.com/v1alpha1", Kind: "SealedSecret", Namespace: "monitoring", Name: "d", JSON: []byte(`{"spec": {"encryptedData": {"password": "AgB"}}}`)},
		{File: "manifests/e.yaml", APIVersion: "v1", Kind: "ConfigMap", Namespace: "monitoring", Name: "e", JSON: []byte(`{"data": {"x": "password: a"}}`)},
		// Upstream's shape: no credential.
		secret("manifests/grafana-dashboardDatasources.yaml", "monitoring", "grafana-datasources", `{"stringData": {"datasources.yaml": "{\"url\": \"http://prometheus-k8s.monitoring.svc:9090\"}"}}`),
	}
	got := Check("prod", objs, map[string]string{"monitoring/grafana-config": "reviewed", "monitoring/gone": "was there"})
	want := []Finding{
		{"manifests/a-secret.yaml", "Secret monitoring/a", `data "url", line 1: a Slack webhook URL (hooks.slack.com/…, its path is the token) ` + advice + `'monitoring/a': '<why>' }`},
		{"manifests/b-secret.yaml", "Secret monitoring/b", `stringData "grafana.ini", line 2: a value for ` + "`admin_password` " + advice + `'monitoring/b': '<why>' }`},
		{"vars.secrets.allowPlaintext", "", `"monitoring/gone" names no Secret of the output (remove the exception)`},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Check:\n got  %q\n want %q", got, want)
	}
	if got := Check("prod", objs[2:], map[string]string{"monitoring/grafana-config": "reviewed"}); got != nil {
		t.Errorf("allowed and credential-free Secrets: %q", got)
	}
}

func TestCheckNeverShowsTheValue(t *testing.T) {
	got := Check("x", []Object{secret("f.yaml", "n", "s", `{"stringData": {"k": "password: hunter2\nhttps://u:pw12345@h.example.com\n"}}`)}, nil)
	if len(got) != 2 {
		t.Fatalf("want 2 findings, got %q", got)
	}
	for _, f := range got {
		for _, v := range []string{"hunter2", "pw12345"} {
			if strings.Contains(f.Msg, v) {
				t.Errorf("the finding shows the value %q: %s", v, f.Msg)
			}
		}
	}
}

func TestSealedSecretShadowedByASecret(t *testing.T) {
	sealed := func(ns, name string) Object {
		return Object{File: "manifests/sealedSecrets-" + name + ".yaml", APIVersion: "bitnami.com/v1alpha1", Kind: "SealedSecret", Namespace: ns, Name: name, JSON: []byte(`{}`)}
	}
	objs := []Object{
		secret("manifests/grafana-config.yaml", "monitoring", "grafana-config", `{"stringData": {"grafana.ini": "[date_formats]\ndefault_timezone = UTC\n"}}`),
		sealed("monitoring", "grafana-config"),
		sealed("other", "grafana-config"),
		sealed("monitoring", "slack"),
	}
	want := []Finding{{"manifests/sealedSecrets-grafana-config.yaml", "SealedSecret monitoring/grafana-config",
		"unseals into Secret monitoring/grafana-config, which manifests/grafana-config.yaml renders too: the controller does not overwrite a Secret it does not own (rename the sealed Secret, or remove the other with vars.patches)"}}
	if got := Check("prod", objs, nil); !reflect.DeepEqual(got, want) {
		t.Errorf("Check:\n got  %q\n want %q", got, want)
	}
}
