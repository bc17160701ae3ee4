# One image for web, worker and beat (docker-compose.yml picks the command).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=zhifu.settings.production

RUN groupadd --system zhifu && useradd --system --gid zhifu --home /app zhifu
WORKDIR /app

# Dependencies first, pinned to exactly what CI tested, so code edits reuse this layer.
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -c constraints.txt -r /tmp/requirements.txt

COPY . .
# collectstatic needs a secret to import production settings; this throwaway one
# exists only during the build and is never used at run time.
RUN DJANGO_SECRET_KEY="build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media && chown -R zhifu:zhifu /app/var

USER zhifu
EXPOSE 8000
# Bind, workers, timeout and the masked access log: zhifu/gunicorn_conf.py.
CMD ["gunicorn", "-c", "python:zhifu.gunicorn_conf", "zhifu.wsgi:application"]
