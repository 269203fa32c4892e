from editor import Buffer


def test_insert_and_delete():
    buf = Buffer("hello")
    buf.insert(5, " world")
    buf.delete(0, 1)
    assert buf.text == "ello world"


def test_undo_restores_previous_text():
    buf = Buffer("abc")
    buf.insert(3, "d")
    assert buf.undo() is True
    assert buf.text == "abc"


def test_nothing_to_undo():
    assert Buffer("x").undo() is False


def test_redo_reapplies_the_undone_edit():
    buf = Buffer("abc")
    buf.insert(3, "d")
    buf.undo()
    assert buf.redo() is True
    assert buf.text == "abcd"


def test_new_edit_clears_redo():
    buf = Buffer("a")
    buf.insert(1, "b")
    buf.undo()
    buf.insert(1, "c")
    assert buf.redo() is False
