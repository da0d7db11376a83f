package render

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	jsonnet "github.com/google/go-jsonnet"

	"github.com/kpgen/kpgen/internal/project"
)

// formatCase is one std.format call: a format string and its values (an
// array, or an object for mapping keys).
type formatCase struct {
	str  string
	vals any
}

// randomFormatCases generates format strings with every conversion, flag,
// width and precision the native path handles, and values of each type.
func randomFormatCases(r *rand.Rand, n int) []formatCase {
	numbers := []float64{0, 1, -1, 7, -7, 0.5, -0.5, 1.5, 2.5, -2.5, 0.125, 3.14159265358979, -2.718281828, 1e-5, 1.5e-7,
		123456789.123, 1e15, -1e15, 1e20, 9.999999, 0.0001234, 42, 255, -255, 1e6, 1234.5678, 99.995, 5e-324}
	strs := []string{"", "a", "hello", "métrique", "世界", `q"uote`, "with space", "%s"}
	value := func(conv byte) any {
		switch {
		case conv == 's' && r.Intn(3) == 0:
			return strs[r.Intn(len(strs))]
		case conv == 's' && r.Intn(4) == 0:
			return []any{true, false, nil}[r.Intn(3)]
		}
		if r.Intn(3) == 0 {
			return float64(r.Intn(2000000) - 1000000)
		}
		return numbers[r.Intn(len(numbers))]
	}
	convs := "diuoxXeEfFgGs%"
	var cases []formatCase
	for len(cases) < n {
		named := r.Intn(3) == 0
		var b strings.Builder
		arr := []any{}
		obj := map[string]any{}
		for k := 0; k < 1+r.Intn(3); k++ {
			b.WriteString([]string{"", "x", " sum(rate(", "é ", "{job=\"a\"} "}[r.Intn(5)])
			b.WriteByte('%')
			conv := convs[r.Intn(len(convs))]
			key := fmt.Sprintf("k%d", k)
			if conv == 's' && k > 0 && r.Intn(3) == 0 {
				key = "k0" // a key used twice (%s formats any value)
			}
			if named {
				b.WriteString("(" + key + ")")
			}
			for _, f := range "#0- +" {
				if r.Intn(5) == 0 {
					b.WriteRune(f)
				}
			}
			if r.Intn(2) == 0 {
				b.WriteString(strconv.Itoa(r.Intn(13)))
			}
			if r.Intn(2) == 0 {
				b.WriteString("." + strconv.Itoa(r.Intn(11)))
			}
			if r.Intn(8) == 0 {
				b.WriteByte("hlL"[r.Intn(3)])
			}
			b.WriteByte(conv)
			if conv == '%' {
				continue
			}
			v := value(conv)
			if named {
				if _, has := obj[key]; !has {
					obj[key] = v
				}
			} else {
				arr = append(arr, v)
			}
		}
		b.WriteString([]string{"", "]))", " end"}[r.Intn(3)])
		if named {
			cases = append(cases, formatCase{b.String(), obj})
		} else {
			cases = append(cases, formatCase{b.String(), arr})
		}
	}
	return cases
}

// TestFormatMatchesStd compares the native std.format with go-jsonnet's own
// on thousands of generated cases: whenever the native path answers, its
// answer must be std.format's, byte for byte.
func TestFormatMatchesStd(t *testing.T) {
	cases := randomFormatCases(rand.New(rand.NewSource(1)), 1500)
	cases = append(cases,
		formatCase{"%(a)s and %(a)s, 100%%", map[string]any{"a": "x"}},
		formatCase{"%5%|%-5%|", []any{}},
		formatCase{"%.3d|%08.3f|%+e|% g|%#x|%#o|%X", []any{7.0, -3.14159, 12345.678, 0.00001234, 255.0, 8.0, 48879.0}},
		formatCase{"%g %g %g %G", []any{100000.0, 1000000.0, 1e-4, 1e-5}},
		formatCase{"%.0f %.0f %.0f %#.0f %.0e", []any{0.5, 1.5, 2.5, 3.0, 5.0}},
		formatCase{"%s", []any{"only"}},
		formatCase{"no codes at all", []any{}},
		formatCase{"%.30f|%e|%g|%d|%x|%E", []any{1e22, 1e300, 1e300, 1e300, 1e20, -1e-300}},
		formatCase{"%.250e|%.100f|%.200g|%250s|%-250d|", []any{1.5, 0.1, 1e150, "w", 42.0}},
		formatCase{"%f %g %e %d", []any{-0.0, -0.0, -0.0, -0.0}},
	)
	in, err := json.Marshal(func() []any {
		var out []any
		for _, c := range cases {
			out = append(out, []any{c.str, c.vals})
		}
		return out
	}())
	if err != nil {
		t.Fatal(err)
	}
	vm := jsonnet.MakeVM()
	vm.MaxStack = 2000 // as kpgen's VMs
	out, err := vm.EvaluateAnonymousSnippet("cases", "[std.format(c[0], c[1]) for c in "+string(in)+"]")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	if err := json.Unmarshal([]byte(out), &want); err != nil {
		t.Fatal(err)
	}
	native := 0
	for i, c := range cases {
		// The values as the native function receives them (JSON).
		var vals any
		b, _ := json.Marshal(c.vals)
		json.Unmarshal(b, &vals)
		p := planFormat(c.str)
		var got string
		var ok bool
		switch v := vals.(type) {
		case []any:
			got, ok = formatArray(p, v)
		case map[string]any:
			got, ok = formatObject(p, v)
		}
		if !ok {
			continue
		}
		native++
		if got != want[i] {
			t.Errorf("std.format(%q, %s):\n native %q\n std    %q", c.str, b, got, want[i])
		}
	}
	if native < len(cases)*3/4 {
		t.Errorf("the native path answered only %d of %d cases", native, len(cases))
	}
}

// TestFormatDeclines checks that the native path leaves to std.format what
// it does not handle exactly (which std.format then formats, or rejects with
// its own message).
func TestFormatDeclines(t *testing.T) {
	tests := []struct {
		str  string
		vals any
	}{
		{"%d", []any{"not a number"}},
		{"%s %s", []any{"too few"}},
		{"%s", []any{"too", "many"}},
		{"%c", []any{65.0}},
		{"%*d", []any{5.0, 1.0}},
		{"%.*f", []any{2.0, 1.0}},
		{"%s", []any{map[string]any{"an": "object"}}},
		{"%s", []any{[]any{1.0}}},
		{"%(a)s %s", map[string]any{"a": "x"}},
		{"%(missing)s", map[string]any{"a": "x"}},
		{"%", []any{}},
		{"%(unclosed", map[string]any{}},
		{"%y", []any{1.0}},
		{"%5", []any{1.0}},
	}
	for _, tt := range tests {
		p := planFormat(tt.str)
		var ok bool
		switch v := tt.vals.(type) {
		case []any:
			_, ok = formatArray(p, v)
		case map[string]any:
			_, ok = formatObject(p, v)
		}
		if ok {
			t.Errorf("native path answered std.format(%q, %v)", tt.str, tt.vals)
		}
	}
}

// TestPercentMatchesGoJsonnet evaluates `%` through kpgen's program (the
// prelude and its fallbacks) and with go-jsonnet alone: same output, or the
// same error.
func TestPercentMatchesGoJsonnet(t *testing.T) {
	tests := []string{
		`{ a: 'rate(%s[%s])' % ['x', '5m'], b: '%(job)s:%(n)d' % { job: 'j', n: 3, unused:: error 'lazy' }, c: 7 % 3, d: -7.5 % 2 }`,
		`{ one: 'x=%s' % 'single', num: '%05.1f' % 3.14159, obj: '%s' % [{ a: [1, 2] }], arr: 'v%s' % [[1, 'a']], nul: '%s%s' % [null, true] }`,
		`{ f: std.format('%s-%d', ['direct', 1]), hidden: '%(h)s' % { h:: 'hidden field' }, local x = 'local', l: '%s' % x }`,
		`'%d' % ['x']`,
		`'%s %s' % ['one']`,
		`'%(missing)s' % { a: 1 }`,
		`'%c' % [65]`,
		`{} % 2`,
		`'%s' % [function(x) x]`,
		`'%s' % ['a', error 'boom']`, // the count is wrong first
		`'100%%' % [error 'boom']`,
		`'%f' % [1e303]`, // overflow: std.format's error, not a crash
		`'%.310f' % [1]`,
		`'%.400e' % [1]`,
		`{ a: '%.320g' % [1.5], b: '%e' % [1e303], c: '%d' % [1e300], d: '%x' % [1e20] }`,
		`std.length('%300s' % ['x'])`,
	}
	for i, src := range tests {
		dir := t.TempDir()
		main := filepath.Join(dir, "main.jsonnet")
		if err := os.WriteFile(main, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		plain := jsonnet.MakeVM()
		plain.MaxStack = 2000 // as kpgen's VMs
		want, wantErr := plain.EvaluateFile(main)
		got, gotErr := NewShared(project.Root{Dir: dir}, NewProgram(nil)).evaluate("import " + strconv.Quote(main))
		if (wantErr == nil) != (gotErr == nil) {
			t.Errorf("case %d: go-jsonnet %v, %v; kpgen %v, %v", i, want, wantErr, got, gotErr)
			continue
		}
		if wantErr != nil {
			wantFirst := strings.SplitN(wantErr.Error(), "\n", 2)[0]
			gotLines := strings.SplitN(gotErr.Error(), "\n", 3)
			if len(gotLines) < 2 || gotLines[1] != wantFirst {
				t.Errorf("case %d: error\n%s\nwant (go-jsonnet)\n%s", i, gotErr, wantErr)
			}
			continue
		}
		if got != want {
			t.Errorf("case %d: got\n%s\nwant (go-jsonnet)\n%s", i, got, want)
		}
	}
}
