print(R"raw\n", B"bytes", Rb"\x", F"{1 + 1}", rB"ok", f"{'nested'!r}")
