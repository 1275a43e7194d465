print("key=value=x".partition("="))
print("no-sep".partition("="))
print("a=b=c".rpartition("="))
print("one\ntwo\r\nthree\n".splitlines())
