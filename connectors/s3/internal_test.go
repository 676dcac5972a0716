package s3

// ClassifyForTest exposes classify to the external tests.
var ClassifyForTest = classify
