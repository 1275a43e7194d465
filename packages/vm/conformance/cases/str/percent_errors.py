for t in [lambda: "%d" % "s", lambda: "%s %s" % ("a",), lambda: "%(k)s" % {}, lambda: "%z" % 1, lambda: "%s" % ()]:
    try:
        print(t())
    except (TypeError, ValueError, KeyError) as e:
        print(type(e), e)
