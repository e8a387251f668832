SECRET_KEY = "corpus-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "mysite.urls"
INSTALLED_APPS = ["polls"]
MIDDLEWARE = []
DATABASES = {}
USE_TZ = True
