package warehouse

// ExecDDL exposes execDDL: tests create their own tables the way migrations do, through the
// target's rewrite.
var ExecDDL = (*Warehouse).execDDL
