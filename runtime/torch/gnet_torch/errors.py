"""The one error type the trainer reports: a gnet code and a message that names the fix."""


class TrainerError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message
