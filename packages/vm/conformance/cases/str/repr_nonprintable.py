print(repr("\x00\x7f\u200b\t"), repr("é"), repr("\\"), repr("\r"))
