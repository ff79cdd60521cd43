"""Personal and financial data typed into free text: found, masked, and the policy that decides.

`policy` (light, imported by the classifier) is the one table of what an anonymised copy removes,
masks or keeps. `detect` and `mask` find and hide values in text; they load `phonenumbers` and
`python-stdnum`, so only an anonymised copy imports them (through `anonymise`), never a handler.
"""
