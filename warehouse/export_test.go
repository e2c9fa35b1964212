package warehouse

// SplitStatements exposes splitStatements to the package's external tests.
var SplitStatements = splitStatements
