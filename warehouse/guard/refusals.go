package guard

// A refusal's kind names why the guard refused a statement, so that a caller can say it in
// another language than the Reason's English (the pages' Chinese) with the same arguments.
const (
	refusedAliasMarker          = "alias_marker"
	refusedOldServer            = "old_server"
	refusedEmpty                = "empty"
	refusedTooLong              = "too_long"
	refusedNotUtf8              = "not_utf8"
	refusedNul                  = "nul"
	refusedSeveral              = "several"
	refusedKeywordName          = "keyword_name"
	refusedParameters           = "parameters"
	refusedUnreadable           = "unreadable"
	refusedExplainKind          = "explain_kind"
	refusedShowKind             = "show_kind"
	refusedOtherDatabase        = "other_database"
	refusedShowCreateKind       = "show_create_kind"
	refusedStatementKind        = "statement_kind"
	refusedExplainSelect        = "explain_select"
	refusedDescribeTable        = "describe_table"
	refusedSettings             = "settings"
	refusedFormat               = "format"
	refusedOutfile              = "outfile"
	refusedNamedWindow          = "named_window"
	refusedApply                = "apply"
	refusedOtherDatabaseTable   = "other_database_table"
	refusedNodeKind             = "node_kind"
	refusedFunctionName         = "function_name"
	refusedTableFunction        = "table_function"
	refusedFunctionNotListed    = "function_not_listed"
	refusedTableName            = "table_name"
	refusedTableAccounts        = "table_accounts"
	refusedTableNotOpen         = "table_not_open"
	refusedFunctionFiles        = "function_files"
	refusedFunctionNetwork      = "function_network"
	refusedFunctionIdle         = "function_idle"
	refusedFunctionDictionaries = "function_dictionaries"
	refusedFunctionByName       = "function_by_name"
	refusedFunctionModel        = "function_model"
	refusedFunctionStatement    = "function_statement"
	refusedFunctionSettings     = "function_settings"
	refusedFunctionHost         = "function_host"
	refusedFunctionInternals    = "function_internals"
	refusedFunctionMetadata     = "function_metadata"
)

// RefusalKinds lists every kind a RefusedError may have.
var RefusalKinds = []string{
	refusedAliasMarker, refusedOldServer, refusedEmpty, refusedTooLong, refusedNotUtf8,
	refusedNul, refusedSeveral, refusedKeywordName, refusedParameters, refusedUnreadable,
	refusedExplainKind, refusedShowKind, refusedOtherDatabase, refusedShowCreateKind,
	refusedStatementKind, refusedExplainSelect, refusedDescribeTable, refusedSettings,
	refusedFormat, refusedOutfile, refusedNamedWindow, refusedApply, refusedOtherDatabaseTable,
	refusedNodeKind, refusedFunctionName, refusedTableFunction, refusedFunctionNotListed,
	refusedTableName, refusedTableAccounts, refusedTableNotOpen, refusedFunctionFiles,
	refusedFunctionNetwork, refusedFunctionIdle, refusedFunctionDictionaries,
	refusedFunctionByName, refusedFunctionModel, refusedFunctionStatement,
	refusedFunctionSettings, refusedFunctionHost, refusedFunctionInternals,
	refusedFunctionMetadata,
}
