package dashboard

import (
	"errors"
	"strings"
	"testing"

	"jinwei/warehouse"
)

// The console says a refusal or a limit in Chinese by its kind with the guard's arguments,
// and in the guard's own English on English pages; no template leaves a verb unfilled or an
// argument over.
func TestRefusalsAndLimitsInThePagesLanguage(t *testing.T) {
	for _, c := range []struct {
		name, lang string
		err        error
		want       string
	}{
		{"a table", langZh, &warehouse.RefusedError{Kind: "table_accounts", Args: []any{"users"}, Reason: "table users holds accounts, sessions or tokens and is not for ad hoc SQL"},
			"语句未运行：表 users 存放账号、会话或令牌，不供即席查询"},
		{"a function with its reason", langZh, &warehouse.RefusedError{Kind: "function_files", Args: []any{"file", "it reads files"}},
			"语句未运行：不允许函数 file：它读取文件"},
		{"two numbers", langZh, &warehouse.RefusedError{Kind: "too_long", Args: []any{70000, 65536}},
			"语句未运行：语句长 70000 字节，上限为 65536 字节"},
		{"arguments that vary", langZh, &warehouse.RefusedError{Kind: "unreadable", Args: []any{"Identifier", "x"}},
			"语句未运行：守卫无法确定地读懂这条语句的语法树，没有运行它"},
		{"English", langEn, &warehouse.RefusedError{Kind: "empty", Reason: "the statement is empty"}, "statement refused: the statement is empty"},
		{"a limit", langZh, &warehouse.LimitError{Limit: "memory", Err: errors.New("Code: 241")}, "语句达到内存上限，已停止：Code: 241"},
		{"a limit in English", langEn, &warehouse.LimitError{Limit: "time", Err: errors.New("Code: 159")}, "statement stopped at the time limit: Code: 159"},
		// The engine's own errors by their kind, where they say where (they were the
		// engine's raw English, its list of 40 expected tokens, on the Chinese page).
		{"a syntax error", langZh, &warehouse.EngineError{Message: "Code: 62. DB::Exception: Syntax error: failed at position 62 (1) (line 2, col 50): 1. Expected one of: OR. (SYNTAX_ERROR)", Parsed: true},
			"语句有语法错误，在第 2 行"},
		{"an unknown column", langEn, &warehouse.EngineError{Message: "Code: 47. DB::Exception: Unknown expression identifier `nope` in scope SELECT nope FROM regions. (UNKNOWN_IDENTIFIER)"},
			"The statement names a column or alias that does not exist (the tables' columns are listed on the left)"},
		{"another", langZh, &warehouse.EngineError{Message: "Code: 38. DB::Exception: Cannot parse date: value is too short. (CANNOT_PARSE_DATE)"}, "引擎未能执行此语句"},
	} {
		_, body := sqlFailure(c.err, c.lang)
		if got, _ := body["message"].(string); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	for _, k := range warehouse.RefusalKinds {
		if why := t_(langZh, "refused_"+k); strings.Contains(why, "%!") || why == "refused_"+k {
			t.Errorf("refusal %s has no Chinese: %q", k, why)
		}
	}
}
