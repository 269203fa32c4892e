"""A text buffer with bounded undo and redo history."""

HISTORY_LIMIT = 50


class Buffer:
    def __init__(self, text=""):
        self.text = text
        self._undo = []
        self._redo = []

    def _remember(self):
        self._undo.append(self.text)
        if len(self._undo) > HISTORY_LIMIT:
            self._undo.pop(0)

    def insert(self, position, chunk):
        self._remember()
        self._redo.clear()
        self.text = self.text[:position] + chunk + self.text[position:]

    def delete(self, start, end):
        self._remember()
        self._redo.clear()
        self.text = self.text[:start] + self.text[end:]

    def undo(self):
        if not self._undo:
            return False
        self.text = self._undo.pop()
        self._redo.append(self.text)
        return True

    def redo(self):
        if not self._redo:
            return False
        self._undo.append(self.text)
        self.text = self._redo.pop()
        return True
