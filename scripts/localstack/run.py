"""LocalStack's runtime (`python -m localstack.runtime.main`), exiting as soon as it has shut down.

On SIGTERM LocalStack runs its shutdown hooks and its main thread returns ("[shutdown] Completed,
bye!"), but the interpreter then joins every non-daemon thread before it exits. The gateway serves
requests on such threads, and GetActivityTask long-polls in one of them: a loop of time.sleep(1)
for up to 60 s that nothing interrupts. So whenever an activity worker (`pod2sfn agent`) was polling,
the process outlived its shutdown by up to a minute and down.sh had to SIGKILL it. Once the runtime
has shut down there is nothing left to wait for: exit at once, with its exit code.
"""

import os
import sys
import traceback

from localstack.runtime.main import main

code = 1
try:
    main()
    code = 0
except SystemExit as e:
    code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
except BaseException:
    traceback.print_exc()
finally:
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
