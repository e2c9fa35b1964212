package guard

import "strings"

// The functions an ad hoc statement may call: pure computations over the values a query
// already has. Anything that reaches outside the statement's own data is absent — files
// (file), the network (url, the ai* functions), programs (executable UDFs, catboostEvaluate),
// dictionaries and joins by name (dictGet, joinGet), other statements (chdb), the engine's
// settings, hosts and logs (getSetting, hostName, logTrace), sleep — and so is anything not
// listed here, including whatever a later engine version adds. Names are matched without
// regard to case; the engine itself rejects a wrong case where it matters.
//
// guard_functions_test.go checks every name against the engine's own system.functions.
var (
	// allowedScalar lists ordinary functions and operators, then the engine's other names for
	// them (power for pow, substr for substring …).
	allowedScalar = wordSet(`
		and or not xor equals notEquals less greater lessOrEquals greaterOrEquals
		isDistinctFrom isNotDistinctFrom in notIn nullIn notNullIn exists
		like notLike ilike notILike match
		plus minus multiply divide intDiv intDivOrZero modulo moduloOrZero positiveModulo negate
		abs gcd lcm isFinite isInfinite isNaN ifNotFinite min2 max2 midpoint
		lambda tuple untuple tupleElement array arrayElement arrayElementOrNull
		if multiIf caseWithExpression greatest least clamp grouping
		CAST _CAST accurateCast accurateCastOrNull accurateCastOrDefault
		assumeNotNull coalesce ifNull nullIf isNull isNotNull isZeroOrNull toNullable

		acos acosh asin asinh atan atan2 atanh cbrt cos cosh degrees e erf erfc exp exp10 exp2
		factorial hypot intExp10 intExp2 lgamma log log10 log1p log2 pi pow radians sigmoid sign
		sin sinh sqrt tan tanh tgamma widthBucket
		ceil floor round roundBankers roundDown roundToExp2 trunc

		toString toFixedString toDecimalString toBool toTypeName toLowCardinality toUUID
		toInt8 toInt16 toInt32 toInt64 toUInt8 toUInt16 toUInt32 toUInt64 toFloat32 toFloat64
		toInt8OrZero toInt16OrZero toInt32OrZero toInt64OrZero toUInt8OrZero toUInt16OrZero
		toUInt32OrZero toUInt64OrZero toFloat32OrZero toFloat64OrZero
		toInt8OrNull toInt16OrNull toInt32OrNull toInt64OrNull toUInt8OrNull toUInt16OrNull
		toUInt32OrNull toUInt64OrNull toFloat32OrNull toFloat64OrNull
		toDecimal32 toDecimal64 toDecimal128 toDecimal32OrNull toDecimal64OrNull toDecimal128OrNull
		toDecimal32OrZero toDecimal64OrZero toDecimal128OrZero
		toDate toDate32 toDateTime toDateTime64 toDateOrNull toDateOrZero toDate32OrNull
		toDateTimeOrNull toDateTimeOrZero toDateTime64OrNull
		parseDateTime parseDateTimeOrNull parseDateTimeBestEffort parseDateTimeBestEffortOrNull
		parseDateTimeBestEffortOrZero parseDateTime64BestEffort parseDateTime64BestEffortOrNull
		toIntervalSecond toIntervalMinute toIntervalHour toIntervalDay toIntervalWeek
		toIntervalMonth toIntervalQuarter toIntervalYear

		now now64 today yesterday toYear toQuarter toMonth toDayOfYear toDayOfMonth toDayOfWeek
		toHour toMinute toSecond toISOWeek toISOYear toWeek toYearWeek toYYYYMM toYYYYMMDD
		toStartOfYear toStartOfQuarter toStartOfMonth toStartOfWeek toMonday toStartOfDay
		toStartOfHour toStartOfMinute toStartOfInterval toLastDayOfMonth toUnixTimestamp
		fromUnixTimestamp toTimezone dateDiff dateTrunc age formatDateTime formatDateTimeInJodaSyntax
		makeDate makeDateTime monthName dateName YYYYMMDDToDate
		addSeconds addMinutes addHours addDays addWeeks addMonths addQuarters addYears
		subtractSeconds subtractMinutes subtractHours subtractDays subtractWeeks subtractMonths
		subtractQuarters subtractYears

		concat concatWithSeparator length lengthUTF8 empty notEmpty lower upper lowerUTF8 upperUTF8
		reverse reverseUTF8 substring substringUTF8 substringIndex left right leftUTF8 rightUTF8
		leftPad rightPad leftPadUTF8 rightPadUTF8 trimBoth trimLeft trimRight
		position positionUTF8 positionCaseInsensitive positionCaseInsensitiveUTF8 locate
		startsWith endsWith startsWithUTF8 endsWithUTF8 countSubstrings countMatches
		replaceAll replaceOne replaceRegexpAll replaceRegexpOne translate translateUTF8
		extract extractAll extractGroups regexpExtract multiSearchAny hasToken
		splitByChar splitByString splitByRegexp splitByWhitespace arrayStringConcat
		format printf repeat space toValidUTF8 initcap initcapUTF8 firstLine editDistance
		base64Encode base64Decode tryBase64Decode hex unhex bin unbin char
		formatReadableQuantity formatReadableSize formatReadableDecimalSize
		formatReadableTimeDelta bar countDigits transform visibleWidth currentDatabase
		materialize throwIf finalizeAggregation
		JSONExtract JSONExtractString JSONExtractInt JSONExtractUInt JSONExtractFloat
		JSONExtractBool JSONExtractRaw JSONExtractKeys JSONExtractArrayRaw JSONHas JSONLength
		JSONType toJSONString
		cityHash64 sipHash64 xxHash64 murmurHash3_64 MD5 SHA256
		rand rand64 randCanonical generateUUIDv4

		has hasAll hasAny indexOf countEqual range arrayWithConstant arrayJoin arrayConcat
		arrayEnumerate arrayEnumerateUniq arrayEnumerateDense arrayPopBack arrayPopFront
		arrayPushBack arrayPushFront arrayResize arraySlice arraySort arrayReverseSort
		arrayUniq arrayDistinct arrayMap arrayFilter arrayExists arrayAll arrayFirst
		arrayFirstIndex arrayLast arrayLastIndex arrayCount arraySum arrayAvg arrayMin arrayMax
		arrayProduct arrayCumSum arrayDifference arrayCompact arrayZip arrayFlatten
		arrayIntersect arrayReverse arraySplit arrayFold
		map mapKeys mapValues mapContains mapFromArrays

		rank dense_rank denseRank row_number percent_rank percentRank cume_dist ntile
		lag lead lagInFrame leadInFrame first_value last_value nth_value

		ceiling ln power mod pmod positive_modulo truncate lcase ucase trim ltrim rtrim lpad rpad
		substr mid byteSlice SUBSTRING_INDEX replace REGEXP_REPLACE REGEXP_EXTRACT REGEXP_MATCHES
		instr concat_ws array_to_string CARDINALITY OCTET_LENGTH CHARACTER_LENGTH CHAR_LENGTH
		levenshteinDistance FROM_BASE64 TO_BASE64 FORMAT_BYTES flatten unnest MAP_FROM_ARRAYS
		caseWithExpr caseWithoutExpression caseWithoutExpr current_database DATABASE SCHEMA
		current_timestamp curdate current_date DATE_DIFF date_diff timestampDiff TIMESTAMP_DIFF
		timestamp_diff DATE_TRUNC DATE_FORMAT FROM_UNIXTIME TO_UNIXTIME str_to_date time_bucket
		date_bin YEAR QUARTER MONTH week yearweek DAY DAYOFMONTH DAYOFWEEK DAYOFYEAR HOUR MINUTE
		SECOND LAST_DAY rand32 width_bucket
	`)

	// allowedAggregate lists aggregate functions, then their other names; they may carry the
	// combinators below.
	allowedAggregate = wordSet(`
		count sum avg min max any anyLast anyHeavy argMin argMax uniq uniqExact uniqCombined
		groupArray groupUniqArray groupArraySorted groupArrayMovingAvg groupArrayMovingSum
		groupConcat groupBitAnd groupBitOr groupBitXor
		quantile quantiles quantileExact quantilesExact quantileExactWeighted quantileTDigest
		quantilesTDigest median medianExact
		stddevPop stddevSamp varPop varSamp covarPop covarSamp corr skewPop skewSamp kurtPop
		kurtSamp topK topKWeighted sumWithOverflow sumKahan avgWeighted simpleLinearRegression
		entropy deltaSum rankCorr exponentialMovingAverage windowFunnel retention
		any_value array_agg BIT_AND BIT_OR BIT_XOR group_concat string_agg COVAR_POP COVAR_SAMP
		STD STDDEV STDDEV_POP STDDEV_SAMP VAR_POP VAR_SAMP medianExactWeighted medianTDigest
	`)

	// aggregateCombinators are the suffixes that turn an aggregate into another aggregate
	// (sumIf, uniqArray, countDistinct, avgOrNull …).
	aggregateCombinators = []string{
		"if", "array", "distinct", "ornull", "ordefault", "state", "merge", "mergestate",
		"foreach", "map", "simplestate", "argmin", "argmax",
	}
)

// functionAllowed reports whether an ad hoc statement may call the function name.
func functionAllowed(name string) bool {
	n := strings.ToLower(name)
	if allowedScalar[n] {
		return true
	}
	for n != "" {
		if allowedAggregate[n] {
			return true
		}
		stripped := false
		for _, c := range aggregateCombinators {
			if len(n) > len(c) && strings.HasSuffix(n, c) {
				n, stripped = n[:len(n)-len(c)], true
				break
			}
		}
		if !stripped {
			return false
		}
	}
	return false
}

// wordSet makes a lower-cased set of the whitespace-separated words of s.
func wordSet(s string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(s) {
		set[strings.ToLower(w)] = true
	}
	return set
}
