"""Web pages over the engines: parse a form, apply one engine operation, render a fragment."""
